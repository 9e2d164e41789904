package io.junction.model.internal;

import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

/** A stored credential; {@link #secret} holds only the ciphertext made by {@link SecretCipher}. */
@Entity
@Table(name = "JN_AUTHENTICATION")
@NamedQuery(name = "Authentication.ofEms",
        query = "SELECT a FROM AuthenticationEntity a WHERE a.emsId = :ems ORDER BY a.connectionId, a.kind, a.principal, a.id")
@NamedQuery(name = "Authentication.ofConnection",
        query = "SELECT a FROM AuthenticationEntity a WHERE a.connectionId = :connection")
@NamedQuery(name = "Authentication.emsLevel",
        query = "SELECT a FROM AuthenticationEntity a WHERE a.emsId = :ems AND a.connectionId IS NULL AND a.kind = :kind AND a.principal = :principal")
class AuthenticationEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "EMS_ID")
    long emsId;

    @Column(name = "CONNECTION_ID")
    Long connectionId;

    @Column(name = "KIND")
    String kind;

    @Column(name = "PRINCIPAL")
    String principal;

    @Column(name = "SECRET")
    byte[] secret;

    @Column(name = "STATUS")
    String status;

    @Column(name = "CHECKED_AT")
    Timestamp checkedAt;

    @Column(name = "STATUS_DETAIL")
    String statusDetail;

    @Column(name = "UPDATED")
    Timestamp updated;

    Credential toRecord() {
        return new Credential(id, emsId, connectionId, CredentialKind.valueOf(kind), principal, status,
                checkedAt == null ? null : checkedAt.toInstant(), statusDetail, updated.toInstant());
    }
}
