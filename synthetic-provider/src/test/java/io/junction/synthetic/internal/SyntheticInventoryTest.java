package io.junction.synthetic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.InvalidInputException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.VmItem;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticInventoryTest {

    private static Map<String, VmItem> vms(SyntheticShape shape, long generation) {
        Map<String, VmItem> vms = new HashMap<>();
        SyntheticInventory.emit(shape, generation, new InventorySink() {
            @Override
            public void cluster(ClusterItem cluster) {
            }

            @Override
            public void host(HostItem host) {
            }

            @Override
            public void vm(VmItem vm) {
                if (!vm.template()) {
                    vms.put(vm.emsRef(), vm);
                }
            }

            @Override
            public void datastore(DatastoreItem datastore) {
            }
        });
        return vms;
    }

    @Test
    void laterSnapshotsChangeAddAndRemoveTheAskedFractions() {
        SyntheticShape shape = SyntheticShape.parse("/vms=20000/change=0.01/add=0.005/remove=0.005");
        Map<String, VmItem> base = vms(shape, 0);
        Map<String, VmItem> next = vms(shape, 1);
        assertEquals(20000, base.size());
        long removed = base.keySet().stream().filter(k -> !next.containsKey(k)).count();
        long added = next.keySet().stream().filter(k -> !base.containsKey(k)).count();
        long changed = base.keySet().stream().filter(next::containsKey).filter(k -> !base.get(k).equals(next.get(k))).count();
        assertEquals(100, added);
        assertTrue(removed > 60 && removed < 140, "about 0.5% removed: " + removed);
        assertTrue(changed > 140 && changed < 260, "about 1% changed: " + changed);
        assertEquals(vms(shape, 1), next, "deterministic");
    }

    @Test
    void noFractionsMeansIdenticalSnapshots() {
        SyntheticShape shape = SyntheticShape.parse("/vms=500");
        assertEquals(vms(shape, 0), vms(shape, 3));
    }

    @Test
    void refusesBadShapes() {
        assertThrows(InvalidInputException.class, () -> SyntheticShape.parse("/vms=-1"));
        assertThrows(InvalidInputException.class, () -> SyntheticShape.parse("/change=2"));
        assertThrows(InvalidInputException.class, () -> SyntheticShape.parse("/color=red"));
        assertThrows(InvalidInputException.class, () -> SyntheticShape.parse("/vms"));
    }

    @Test
    void numbersArePaddedToSevenDigits() {
        assertEquals("0000000", SyntheticInventory.seven(0));
        assertEquals("0001234", SyntheticInventory.seven(1234));
        assertEquals("12345678", SyntheticInventory.seven(12345678));
    }
}
