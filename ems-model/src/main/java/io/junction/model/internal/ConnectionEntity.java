package io.junction.model.internal;

import io.junction.api.Connection;
import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

@Entity
@Table(name = "JN_CONNECTION")
@NamedQuery(name = "Connection.ofEms",
        query = "SELECT c FROM ConnectionEntity c WHERE c.emsId = :ems ORDER BY c.role, c.priority, c.id")
@NamedQuery(name = "Connection.ofRole",
        query = "SELECT c FROM ConnectionEntity c WHERE c.emsId = :ems AND c.role = :role ORDER BY c.priority, c.id")
@NamedQuery(name = "Connection.endpoint",
        query = "SELECT c FROM ConnectionEntity c WHERE c.emsId = :ems AND c.role = :role AND c.host = :host AND c.port = :port")
class ConnectionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "EMS_ID")
    long emsId;

    @Column(name = "ROLE")
    String role;

    @Column(name = "HOST")
    String host;

    @Column(name = "PORT")
    int port;

    @Column(name = "SCHEME")
    String scheme;

    @Column(name = "PATH")
    String path;

    @Column(name = "VERIFY_TLS")
    boolean verifyTls;

    @Column(name = "CA_CERTIFICATE")
    String caCertificate;

    /** The place among the EMS's connections of this role, 1 (the default) to their count, without gaps. */
    @Column(name = "PRIORITY")
    int priority;

    @Column(name = "DISCOVERED")
    boolean discovered;

    @Column(name = "ALLOW_BASIC_OVER_HTTP")
    boolean allowBasicOverHttp;

    @Column(name = "CREATED")
    Timestamp created;

    Connection toRecord() {
        return new Connection(id, emsId, role, host, port, scheme, path, verifyTls, caCertificate, priority == 1, discovered,
                allowBasicOverHttp, priority);
    }
}
