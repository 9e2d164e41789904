package io.junction.api.inventory;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives an inventory snapshot item by item, so that a provider never has to hold a large
 * inventory in memory. Items may come in any order; references between them are by {@code emsRef}.
 */
@ConsumerType
public interface InventorySink {
    void cluster(ClusterItem cluster);

    void host(HostItem host);

    /** A VM or, with {@link VmItem#template()}, a template. */
    void vm(VmItem vm);

    void datastore(DatastoreItem datastore);
}
