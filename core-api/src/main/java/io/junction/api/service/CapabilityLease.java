package io.junction.api.service;

import io.junction.api.Connection;

/**
 * A capability routed for one call or a short series of calls. While it is open, the service
 * behind it is not taken away; close it promptly (try-with-resources).
 */
public interface CapabilityLease<C extends Capability> extends AutoCloseable {
    C capability();

    /** The connection the calls go through. */
    Connection connection();

    /** Name of the service that answers. */
    String service();

    @Override
    void close();
}
