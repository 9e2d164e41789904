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
            description = "Empty for embedded Derby at <junction.home>/data/derby. Example: jdbc:derby://db.example:1527/junction")
    String url() default "";

    @AttributeDefinition(name = "JDBC user", description = "Empty when the database needs none.")
    String user() default "";

    @AttributeDefinition(name = "JDBC password", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "JDBC driver filter",
            description = "Which DataSourceFactory service to use, by its osgi.jdbc.driver.class property.")
    String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.apache.derby.jdbc.EmbeddedDriver)";
}
