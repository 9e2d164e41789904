package io.junction.core.internal.nodes;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction node", description = "This node's name, and the lease that gives it an EMS's background work on a shared database.")
@interface NodeConfiguration {
    String PID = "io.junction.node";

    @AttributeDefinition(name = "Name", description = "Unique among the nodes sharing a database; empty: the host name and an id generated once and kept in data/node-id.")
    String name() default "";

    @AttributeDefinition(name = "Lease (seconds)", description = "How long a node that stopped answering keeps its EMSs before another node takes them over.")
    int leaseSeconds() default 30;

    @AttributeDefinition(name = "Heartbeat (seconds)", description = "How often the node says it is alive, renews its leases and takes its share; at most a third of the lease.")
    int heartbeatSeconds() default 3;
}
