package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InventoryCommandsTest {

    @Test
    void countsReadAsAPhraseWithSingularsAndThousands() {
        assertEquals("4 clusters, 100 hosts, 20,000 VMs, 4 templates, 1 datastore",
                InventoryCommands.describeCounts(new long[] {4, 100, 20_000, 4, 1}));
        assertEquals("1 cluster, 1 host, 1 VM, 0 templates, 0 datastores", InventoryCommands.describeCounts(new long[] {1, 1, 1, 0, 0}));
    }
}
