package io.junction.core.internal.pools;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction background pools",
        description = "Threads that run the background work of every EMS: sized here, not by the number of EMSs. 0 takes the default from the number of cores.")
@interface BackgroundPoolsConfiguration {
    String PID = "io.junction.pools";

    @AttributeDefinition(name = "Refresh threads", description = "Periodic refreshes running at once, all EMSs together (0: the number of cores, at least 2).")
    int refreshThreads() default 0;

    @AttributeDefinition(name = "Event threads", description = "Providers' event work (polls, deliveries) running at once, all EMSs together (0: twice the number of cores, at least 4).")
    int eventThreads() default 0;

    @AttributeDefinition(name = "Event storing threads", description = "Batches of events being stored at once, all EMSs together (0: 2).")
    int storeThreads() default 0;
}
