package io.junction.core.internal.events;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction event pipeline", description = "Subscriptions to the EMSs' events and how long events are kept.")
@interface EventPipelineConfiguration {
    String PID = "io.junction.events";

    @AttributeDefinition(name = "Keep days", description = "Events received longer ago are removed.")
    int retentionDays() default 30;

    @AttributeDefinition(name = "Keep per EMS", description = "Only the newest this many events of each EMS are kept.")
    long retentionCount() default 100_000;

    @AttributeDefinition(name = "Trim every (minutes)")
    int trimIntervalMinutes() default 10;

    @AttributeDefinition(name = "Check subscriptions every (seconds)",
            description = "Besides reacting to changes at once, how often subscriptions are compared with what is bound.")
    int reconcileIntervalSeconds() default 5;
}
