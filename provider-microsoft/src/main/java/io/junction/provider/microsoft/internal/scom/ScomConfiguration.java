package io.junction.provider.microsoft.internal.scom;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ScomService.PID, name = "Junction SCOM events",
        description = "How the SCOM service reads alerts from a Microsoft EMS's scom connection.")
public @interface ScomConfiguration {
    @AttributeDefinition(name = "Poll interval (seconds)", min = "1",
            description = "How often Get-SCOMAlert is asked for alerts changed since the last one delivered.")
    long pollIntervalSeconds() default 60;

    @AttributeDefinition(name = "Batch size", min = "1",
            description = "Most events delivered (and stored with their cursor) at once.")
    int batchSize() default 500;
}
