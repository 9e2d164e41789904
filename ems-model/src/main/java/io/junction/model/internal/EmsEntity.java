package io.junction.model.internal;

import io.junction.api.Ems;
import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

@Entity
@Table(name = "JN_EMS")
@NamedQuery(name = "Ems.all", query = "SELECT e FROM EmsEntity e ORDER BY e.name")
@NamedQuery(name = "Ems.byName", query = "SELECT e FROM EmsEntity e WHERE e.name = :name")
class EmsEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "NAME")
    String name;

    @Column(name = "EMS_TYPE")
    String type;

    @Column(name = "CREATED")
    Timestamp created;

    Ems toRecord() {
        return new Ems(id, name, type, created.toInstant());
    }
}
