package io.junction.simulators.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.Socket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two listeners of one SCVMM server, as a failover pair: one inventory behind both, each stopped and started on its own. */
class FailoverPairTest {

    @Test
    void aPeerServesTheSameInventoryAndOutlivesThePreferredListener() throws Exception {
        WinRmSimulator preferred = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa"));
        WinRmSimulator standby = preferred.peer(0);
        WinRmSimulator back = null;
        boolean preferredRunning = true;
        try {
            assertNotEquals(preferred.port(), standby.port());
            assertEquals(preferred.vmStates(), standby.vmStates());
            UUID id = preferred.vmStates().entrySet().stream().filter(e -> e.getValue().equals("Running")).findFirst().orElseThrow().getKey();
            // The peer trusts the same CA and takes the same account.
            WsmanTestClient viaStandby = new WsmanTestClient(standby.url(), preferred.identity().clientContext(), "A", "pa");
            WsmanTestClient.Output out = viaStandby.runScript(ScvmmCmdletTest.PROLOGUE + "$id = '" + id
                    + "'\r\nGet-SCVirtualMachine -ID $id | Stop-SCVirtualMachine -Force | ConvertTo-Json -Compress -Depth 1");
            assertEquals(0, out.exitCode(), out.stderr());
            assertEquals("PowerOff", preferred.vmStates().get(id), "a change through one listener is the server's");

            int port = preferred.port();
            preferred.stop();
            preferredRunning = false;
            assertThrows(java.net.ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
            assertEquals(0, viaStandby.runScript(ScvmmCmdletTest.PROLOGUE + "Get-SCVMMServer -ComputerName localhost | Out-Null").exitCode());

            back = standby.peer(port);
            assertEquals(port, back.port());
            WsmanTestClient viaBack = new WsmanTestClient(back.url(), preferred.identity().clientContext(), "A", "pa");
            assertEquals(0, viaBack.runScript(ScvmmCmdletTest.PROLOGUE + "Get-SCVMMServer -ComputerName localhost | Out-Null").exitCode());
            assertEquals("PowerOff", back.vmStates().get(id));
        } finally {
            if (preferredRunning) {
                preferred.stop();
            }
            standby.stop();
            if (back != null) {
                back.stop();
            }
        }
    }
}
