package io.junction.core.internal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.junction.api.inventory.PowerState;
import io.junction.api.service.PowerAction;
import org.junit.jupiter.api.Test;

class RoutedVmPowerTest {
    @Test
    void onlyWhatTheStoredStateMakesPointlessIsRefused() {
        assertEquals("already running", RoutedVmPower.pointless(PowerState.ON, PowerAction.START));
        assertEquals("already off", RoutedVmPower.pointless(PowerState.OFF, PowerAction.STOP));
        assertEquals("already off", RoutedVmPower.pointless(PowerState.OFF, PowerAction.SHUTDOWN));
        assertEquals("already suspended", RoutedVmPower.pointless(PowerState.SUSPENDED, PowerAction.SUSPEND));
        assertEquals("running, not suspended", RoutedVmPower.pointless(PowerState.ON, PowerAction.RESUME));
        // what a provider may still accept is left to it
        assertNull(RoutedVmPower.pointless(PowerState.OFF, PowerAction.SUSPEND));
        assertNull(RoutedVmPower.pointless(PowerState.OFF, PowerAction.START));
        assertNull(RoutedVmPower.pointless(PowerState.UNKNOWN, PowerAction.STOP));
        assertNull(RoutedVmPower.pointless(PowerState.ON, PowerAction.RESTART));
        assertNull(RoutedVmPower.pointless(PowerState.OFF, PowerAction.RESET));
    }
}
