package io.junction.provider.openstack.internal;

import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.VmItem;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a handle reports during a collect, in order, for the tests to look at. */
public final class CollectingSink implements InventorySink {
    public final List<ClusterItem> clusters = new ArrayList<>();
    public final List<HostItem> hosts = new ArrayList<>();
    public final List<VmItem> vms = new ArrayList<>();

    @Override
    public void cluster(ClusterItem cluster) {
        clusters.add(cluster);
    }

    @Override
    public void host(HostItem host) {
        hosts.add(host);
    }

    @Override
    public void vm(VmItem vm) {
        vms.add(vm);
    }

    @Override
    public void datastore(DatastoreItem datastore) {
    }
}
