package io.junction.api.store;

import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventoryRefresh;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.RefreshStatus;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The stored inventory of each EMS: clusters, hosts, VMs and templates, datastores. */
@ProviderType
public interface InventoryStore {

    /** Starts a refresh of one EMS; close it (after {@link InventoryRefresh#commit()} or not). */
    InventoryRefresh beginRefresh(long emsId);

    /**
     * Starts a refresh whose commit checks, in its own transaction, that the fence's lease still
     * holds; the commit throws {@link LeaseLostException} (nothing written) when it does not.
     */
    InventoryRefresh beginRefresh(Fence fence);

    /** Records how the last refresh of an EMS ended. */
    void recordRefresh(long emsId, RefreshStatus status);

    RefreshStatus lastRefresh(long emsId);

    List<VmItem> vms(long emsId, VmQuery query);

    /** The VM or template with that reference, or else the one with that name (if the name is unique). */
    Optional<VmItem> findVm(long emsId, String refOrName);

    List<HostItem> hosts(long emsId);

    List<ClusterItem> clusters(long emsId);

    List<DatastoreItem> datastores(long emsId);

    /** Counts of stored items: clusters, hosts, VMs, templates, datastores. */
    long[] counts(long emsId);

    /** Stores a VM's power state as a power action left it. */
    void recordPower(long emsId, String vmRef, PowerState state, String rawState);
}
