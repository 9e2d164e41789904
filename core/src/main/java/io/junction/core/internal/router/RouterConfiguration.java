package io.junction.core.internal.router;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction capability router",
        description = "Binds each capability of an EMS to a provider service and a connection.")
@interface RouterConfiguration {
    String PID = "io.junction.router";

    @AttributeDefinition(name = "Drain timeout (ms)",
            description = "When a provider service goes away, how long calls already running on it may take to finish before its handles are closed.")
    long drainTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Connect timeout (ms)", description = "Handed to services for connecting to their servers.")
    long connectTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Operation timeout (ms)", description = "Handed to services as the limit of one operation on their servers.")
    long operationTimeoutMillis() default 120_000;

    @AttributeDefinition(name = "Probe interval (ms)",
            description = "How soon a connection found unreachable is probed again; each failed probe doubles the wait.")
    long probeIntervalMillis() default 5_000;

    @AttributeDefinition(name = "Longest probe interval (ms)", description = "The longest wait between two probes of an unreachable connection.")
    long probeMaxIntervalMillis() default 60_000;
}
