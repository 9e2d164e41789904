package io.junction.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction EMS store", description = "Storage of EMSs, connections and credentials.")
@interface StoreConfiguration {
    String PID = "io.junction.store";

    @AttributeDefinition(name = "Secret key file",
            description = "AES key that encrypts stored secrets; created, owner-only, while the database holds no secrets, and checked against the database at every start. Empty for <junction.home>/etc/junction.key. Back it up apart from the database.")
    String secretKeyFile() default "";
}
