package io.junction.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction database",
        description = "Where Junction stores EMSs, connections and credentials. Leave empty for the embedded Derby database under data/.")
@interface DatabaseConfiguration {
    /** The configuration PID, as named in etc/ files. */
    String PID = "io.junction.database";

    @AttributeDefinition(name = "JDBC URL",
            description = "Empty for embedded Derby at <junction.home>/data/derby. Example: jdbc:postgresql://db.example:5432/junction")
    String url() default "";

    @AttributeDefinition(name = "JDBC user", description = "Empty when the database needs none.")
    String user() default "";

    @AttributeDefinition(name = "JDBC password", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "Connection pool size",
            description = "Connections kept to a database server (PostgreSQL); embedded Derby has no pool.", min = "1", max = "1000")
    int poolSize() default 10;

    @AttributeDefinition(name = "JDBC driver filter",
            description = "Which DataSourceFactory service to use, as an LDAP filter. Empty: the driver of the URL's database.")
    String dataSourceFactory_target() default "";
}
