package io.junction.synthetic.internal;

import io.junction.api.ProviderException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import java.util.List;

/**
 * Generates snapshot number {@code generation} of a synthetic EMS, item by item (never held in
 * memory). Snapshot 0 is the base; every later snapshot is the base with the shape's fractions
 * of VMs changed, added and removed, chosen by a fixed hash of the VM's number, so that two runs
 * produce the same snapshots.
 */
final class SyntheticInventory {
    private static final PowerState[] STATES = {PowerState.ON, PowerState.OFF, PowerState.SUSPENDED};
    private static final String[] RAW = {"Running", "PowerOff", "Saved"};

    private SyntheticInventory() {
    }

    /** A well-mixed number in [0, 1) for VM i and a salt. */
    static double pick(long i, long salt) {
        long x = i * 0x9E3779B97F4A7C15L + salt;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return (x >>> 11) / (double) (1L << 53);
    }

    /** {@code i} with leading zeros to seven digits, as {@code %07d} but without a formatter per VM. */
    static String seven(long i) {
        String digits = Long.toString(i);
        return digits.length() >= 7 ? digits : "0000000".substring(digits.length()) + digits;
    }

    /** Waits until VM {@code i} is due at {@code pace} VMs per second. */
    private static void keepPace(long began, int i, int pace) {
        long wait = began + i * 1_000_000_000L / pace - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("synthetic provider interrupted while collecting");
            }
        }
    }

    static void emit(SyntheticShape shape, long generation, InventorySink sink) {
        for (int c = 0; c < shape.clusters(); c++) {
            sink.cluster(new ClusterItem("cluster-" + c, "Cluster " + c));
        }
        for (int h = 0; h < shape.hosts(); h++) {
            sink.host(new HostItem("host-" + h, "host" + h + ".synthetic.test",
                    shape.clusters() == 0 ? null : "cluster-" + (h % shape.clusters()), 32 + (h % 4) * 16,
                    (128L + (h % 4) * 64) << 30, PowerState.ON, "Responding"));
        }
        sink.datastore(new DatastoreItem("ds-0", "Datastore 0", 10L << 40, 4L << 40));
        for (int t = 0; t < shape.templates(); t++) {
            sink.vm(new VmItem("template-" + t, "Template " + t, true, null, 2, 4096, "Linux", List.of(), PowerState.OFF, "Stored"));
        }
        int added = generation == 0 ? 0 : (int) Math.round(shape.vms() * shape.add());
        long began = System.nanoTime();
        for (int i = 0; i < shape.vms() + added; i++) {
            if (shape.pace() > 0 && i % 100 == 0) {
                keepPace(began, i, shape.pace());
            }
            if (shape.failAt() > 0 && i == shape.failAt()) {
                throw new ProviderException("synthetic provider failed after " + i + " VMs, as its shape asks (failAt)");
            }
            boolean later = generation > 0;
            if (later && i < shape.vms() && pick(i, 2) < shape.remove()) {
                continue;
            }
            boolean changed = later && pick(i, 1) < shape.change();
            int state = (i % 3 + (changed ? (int) generation : 0)) % 3;
            String host = shape.hosts() == 0 ? null : "host-" + (i % shape.hosts());
            String number = seven(i);
            sink.vm(new VmItem("vm-" + number, "vm" + number, false, host, 1 + i % 8,
                    512L * (1 + i % 16) + (changed ? generation : 0), i % 2 == 0 ? "Windows Server 2022" : "Ubuntu 22.04",
                    List.of("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)), STATES[state], RAW[state]));
        }
    }
}
