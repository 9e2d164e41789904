package io.junction.api.service;

import io.junction.api.Connection;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Stores the connections an EMS's catalog names (OpenStack's identity service naming its compute
 * endpoint): through the EMS's {@link DiscoveryCapability}, discovered connections are added,
 * updated when the catalog moved them, and removed when the catalog no longer lists their role.
 * Connections entered by hand are never touched.
 */
@ProviderType
public interface ConnectionDiscovery {

    /**
     * What one discovery did.
     *
     * @param added     connections new in the store
     * @param updated   connections whose address changed
     * @param removed   discovered connections the catalog no longer names
     * @param unchanged connections as they were
     */
    record Result(List<Connection> added, List<Connection> updated, List<Connection> removed, List<Connection> unchanged) {
    }

    /**
     * Discovers the EMS's connections now.
     *
     * @throws io.junction.api.CapabilityUnavailableException when the EMS's discovery capability is not bound
     */
    Result discover(long emsId);
}
