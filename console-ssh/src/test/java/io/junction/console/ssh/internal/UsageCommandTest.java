package io.junction.console.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCommandTest {
    @Test
    void helpAnywhereAsksForTheUsage() {
        assertTrue(UsageCommand.asksForUsage(List.of("--help")));
        assertTrue(UsageCommand.asksForUsage(List.of("-h")));
        assertTrue(UsageCommand.asksForUsage(List.of("sc1", "--help")));
        assertTrue(UsageCommand.asksForUsage(List.of("sc1", "web01", "-h")));
        assertTrue(UsageCommand.asksForUsage(List.of("sc1", "--filter", "--help")));
    }

    @Test
    void minusHAsAnOptionsValueIsThatValue() {
        assertFalse(UsageCommand.asksForUsage(List.of()));
        assertFalse(UsageCommand.asksForUsage(List.of("sc1", "--filter", "-h")));
        assertFalse(UsageCommand.asksForUsage(List.of("sc1", "-f", "-h")));
        assertFalse(UsageCommand.asksForUsage(List.of("help", "-help", "--helpful")));
    }
}
