package io.junction.core.internal.refresh;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction periodic refresh",
        description = "Refreshes one EMS's inventory at an interval; one configuration per EMS, e.g. etc/io.junction.refresh-sc1.cfg. Off unless configured.")
@interface ScheduledRefreshConfiguration {
    String PID = "io.junction.refresh";

    @AttributeDefinition(name = "EMS", description = "Id or name of the EMS.")
    String ems();

    @AttributeDefinition(name = "Interval (seconds)", description = "Time between the end of one refresh and the start of the next; at least 10.")
    long intervalSeconds() default 3600;
}
