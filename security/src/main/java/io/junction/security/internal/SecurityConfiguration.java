package io.junction.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction access policy",
        description = "Users, roles and login throttling shared by every door (console, SSH).")
@interface SecurityConfiguration {
    String PID = "io.junction.security";

    @AttributeDefinition(description = "Users file (owner-only). Empty for <junction.home>/etc/users.properties.")
    String usersFile() default "";

    @AttributeDefinition(description = "Delay of the answer to a failed login, in milliseconds; doubled with each"
            + " further failure from the same address (up to 16 s).", min = "0")
    long failedLoginDelayMillis() default 1000;
}
