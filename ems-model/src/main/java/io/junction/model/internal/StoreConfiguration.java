package io.junction.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction EMS store", description = "Storage of EMSs, connections and credentials.")
@interface StoreConfiguration {
    String PID = "io.junction.store";

    @AttributeDefinition(name = "Secret key file",
            description = "AES key that encrypts stored secrets; created on first start, owner-only. Empty for <junction.home>/etc/junction.key. Keep it with backups of the database, but apart from them.")
    String secretKeyFile() default "";
}
