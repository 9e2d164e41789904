package io.junction.core.internal.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> THREE = List.of("node-a", "node-b", "node-c");

    @Test
    void everyNodeComputesTheSameOwnerWhateverTheOrderOfTheList() {
        for (long ems = 1; ems <= 200; ems++) {
            assertEquals(Rendezvous.owner(ems, THREE), Rendezvous.owner(ems, List.of("node-c", "node-a", "node-b")));
        }
    }

    @Test
    void theEmssSpreadOverTheNodes() {
        Map<String, Integer> counts = new HashMap<>();
        for (long ems = 1; ems <= 3000; ems++) {
            counts.merge(Rendezvous.owner(ems, THREE), 1, Integer::sum);
        }
        for (String node : THREE) {
            int n = counts.getOrDefault(node, 0);
            assertTrue(n > 800 && n < 1200, node + " got " + n + " of 3000");
        }
    }

    @Test
    void aNodeJoiningTakesOnlyItsShareAndALeavingOneGivesOnlyItsOwn() {
        List<String> four = List.of("node-a", "node-b", "node-c", "node-d");
        int moved = 0;
        for (long ems = 1; ems <= 3000; ems++) {
            String before = Rendezvous.owner(ems, THREE);
            String after = Rendezvous.owner(ems, four);
            if (!before.equals(after)) {
                assertEquals("node-d", after, "EMS " + ems + " moved between nodes that stayed");
                moved++;
            }
            String withoutB = Rendezvous.owner(ems, List.of("node-a", "node-c"));
            if (!before.equals("node-b")) {
                assertEquals(before, withoutB, "EMS " + ems + " moved though its node stayed");
            }
        }
        assertTrue(moved > 600 && moved < 900, moved + " of 3000 moved to the fourth node");
    }
}
