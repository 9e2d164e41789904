package io.junction.api.service;

import java.util.List;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Binds each capability of an EMS to the service registered for (its provider type, that
 * capability), the EMS's connection of the service's role, and that connection's credential,
 * while services come and go.
 */
@ProviderType
public interface CapabilityRouter {

    /**
     * Routes a capability of an EMS. The lease must be closed when the calls are done.
     *
     * @throws io.junction.api.CapabilityUnavailableException at once, naming what is missing
     * @throws io.junction.api.NotFoundException when there is no such EMS
     */
    <C extends Capability> CapabilityLease<C> route(long emsId, Class<C> capability);

    /** Routes a capability, applies the work to it, and releases it. */
    default <C extends Capability, R> R call(long emsId, Class<C> capability, Function<? super C, R> work) {
        try (CapabilityLease<C> lease = route(emsId, capability)) {
            return work.apply(lease.capability());
        }
    }

    /**
     * Tells the router that a connection's server stopped answering outside a routed call (an event
     * subscription living on a pooled handle): the next calls use a standby of its role, and the
     * connection is probed until it answers again.
     */
    default void unreachable(long emsId, io.junction.api.Connection connection, io.junction.api.UnreachableException failure) {
    }

    /** One row per capability the EMS's provider type declares, sorted by capability name. */
    List<CapabilityBinding> matrix(long emsId);

    /**
     * Checks each connection of the EMS (or only those of one role) with its own credential
     * through its service's {@link ServiceHandle#verify()}, and stores each outcome on the
     * connection's credential.
     *
     * @param role a role, or {@code null} for all connections
     */
    List<ConnectionCheck> verify(long emsId, String role);
}
