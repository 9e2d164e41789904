package io.junction.api.service;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Provider code that knows how to talk to one kind of server. Registered by provider bundles as
 * a DS component with the service properties {@link #TYPE}, {@link #ROLE} and {@link #CAPABILITY}
 * (multi-valued); the router binds it to each EMS of that type through the EMS's connection of
 * that role. A higher {@code service.ranking} wins when several services offer the same capability.
 */
@ConsumerType
public interface EmsService {
    /** Service property: the provider type id, e.g. {@code microsoft}. */
    String TYPE = "junction.ems.type";
    /** Service property: the connection role the service talks through, e.g. {@code scvmm}. */
    String ROLE = "junction.connection.role";
    /** Service property, multi-valued: the capabilities its handles offer, e.g. {@code inventory}. */
    String CAPABILITY = "junction.capability";

    ServiceDescriptor descriptor();

    /**
     * Opens a handle on the context's connection with its credential. May contact the server.
     *
     * @throws io.junction.api.JunctionException typed as the other side's answer warrants
     */
    ServiceHandle open(ServiceContext context);
}
