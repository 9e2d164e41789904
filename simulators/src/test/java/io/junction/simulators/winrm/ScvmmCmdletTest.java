package io.junction.simulators.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScvmmCmdletTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROLOGUE = "$ErrorActionPreference = 'Stop'\r\n$ProgressPreference = 'SilentlyContinue'\r\n"
            + "Import-Module VirtualMachineManager\r\n";
    static WinRmSimulator simulator;
    static WsmanTestClient client;

    @BeforeAll
    static void start() {
        simulator = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa"));
        client = new WsmanTestClient(simulator.url(), simulator.identity().clientContext(), "A", "pa");
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    static JsonNode json(WsmanTestClient.Output out) throws Exception {
        assertEquals(0, out.exitCode(), out.stderr());
        assertEquals("", out.stderr());
        assertTrue(out.stdout().endsWith("\r\n"), out.stdout());
        return JSON.readTree(out.stdout());
    }

    @Test
    void serverVersion() throws Exception {
        JsonNode server = json(client.runScript(PROLOGUE + "Get-SCVMMServer -ComputerName localhost | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("10.22.1287.0", server.get("ProductVersion").asText());
        assertTrue(server.get("IsConnected").asBoolean());
    }

    @Test
    void clustersHostsTemplates() throws Exception {
        JsonNode clusters = json(client.runScript(PROLOGUE + "ConvertTo-Json -InputObject @(Get-SCVMHostCluster) -Compress -Depth 2"));
        assertTrue(clusters.isArray());
        assertEquals(1, clusters.size());
        assertEquals(3, clusters.get(0).get("Nodes").size());
        UUID.fromString(clusters.get(0).get("ID").asText());

        JsonNode hosts = json(client.runScript(PROLOGUE + "Get-SCVMHost | ConvertTo-Json -Compress -Depth 2"));
        assertEquals(3, hosts.size());
        JsonNode host = hosts.get(0);
        assertEquals("hv01.junction.test", host.get("Name").asText());
        assertEquals("hv01", host.get("ComputerName").asText());
        assertTrue(host.get("TotalMemory").asLong() >= 256L * 1024 * 1024 * 1024);
        assertTrue(host.get("LogicalProcessorCount").asInt() >= 32);
        assertEquals("Responding", host.get("CommunicationStateString").asText());
        assertEquals("OK", host.get("OverallStateString").asText());
        assertEquals(clusters.get(0).get("Name").asText(), host.get("HostCluster").get("Name").asText());
        assertEquals(clusters.get(0).get("Nodes").get(0).asText(), host.get("Name").asText());

        JsonNode templates = json(client.runScript(PROLOGUE + "Get-SCVMTemplate | ConvertTo-Json -Compress -Depth 2"));
        assertEquals(22, templates.size());
        assertTrue(templates.get(0).get("CPUCount").isInt());
        assertTrue(templates.get(0).get("OperatingSystem").get("Name").asText().startsWith("Windows"));
    }

    @Test
    void allVirtualMachinesWithTheirStates() throws Exception {
        WsmanTestClient.Output out = client.runScript(PROLOGUE + "Get-SCVirtualMachine -All | ConvertTo-Json -Compress -Depth 2");
        assertTrue(out.stdout().contains("\"CreationTime\":\"\\/Date("), "dates as Windows PowerShell 5.1 writes them");
        JsonNode vms = json(out);
        assertEquals(28, vms.size());
        for (JsonNode vm : vms) {
            UUID.fromString(vm.get("ID").asText());
            int state = vm.get("VirtualMachineState").asInt();
            assertEquals(VmmInventory.stateName(state), vm.get("VirtualMachineStateString").asText());
            assertEquals(vm.get("VirtualMachineStateString").asText(), vm.get("StatusString").asText());
            assertFalse(vm.get("IsTemplate").asBoolean());
            assertTrue(vm.get("HostName").asText().endsWith(".junction.test"));
            assertTrue(vm.get("OperatingSystem").isObject(), "expanded at -Depth 2");
        }
        JsonNode shallow = json(client.runScript(PROLOGUE + "Get-SCVirtualMachine -All | ConvertTo-Json -Compress -Depth 1"));
        assertTrue(shallow.get(0).get("OperatingSystem").isObject());
        JsonNode flat = json(client.runScript(PROLOGUE + "ConvertTo-Json -InputObject @(Get-SCVirtualMachine -All) -Compress -Depth 1"));
        assertEquals(28, flat.size());
    }

    @Test
    void oneVirtualMachineByIdIsABareObject() throws Exception {
        UUID id = simulator.vmStates().keySet().iterator().next();
        JsonNode vm = json(client.runScript(PROLOGUE + "$id = '" + id + "'\r\nGet-SCVirtualMachine -ID $id | ConvertTo-Json -Compress -Depth 2"));
        assertTrue(vm.isObject());
        assertEquals(id.toString(), vm.get("ID").asText());

        WsmanTestClient.Output missing = client.runScript(PROLOGUE + "$id = '" + UUID.randomUUID()
                + "'\r\nGet-SCVirtualMachine -ID $id | ConvertTo-Json -Compress -Depth 2");
        assertEquals(0, missing.exitCode());
        assertEquals("", missing.stdout());

        // the provider's shape: values first, statements on one line, no spaces around | or =
        WsmanTestClient.Output noVm = client.runScript("$id='" + UUID.randomUUID() + "';$ErrorActionPreference='Stop';"
                + "$ProgressPreference='SilentlyContinue';Import-Module VirtualMachineManager;"
                + "Start-SCVirtualMachine -VM (Get-SCVirtualMachine -ID $id)|ConvertTo-Json -Compress -Depth 1");
        assertEquals(1, noVm.exitCode());
        assertTrue(noVm.stderr().contains("Cannot validate argument on parameter &apos;VM&apos;")
                || noVm.stderr().contains("parameter 'VM'"), noVm.stderr());
    }

    @Test
    void powerOperationsChangeTheState() throws Exception {
        UUID id = simulator.vmStates().entrySet().stream().filter(e -> e.getValue().equals("Running")).findFirst().orElseThrow().getKey();
        String get = "$id = '" + id + "'\r\nGet-SCVirtualMachine -ID $id | ";
        JsonNode vm = json(client.runScript(PROLOGUE + get + "Stop-SCVirtualMachine -Shutdown | ConvertTo-Json -Compress -Depth 1"));
        assertEquals(1, vm.get("VirtualMachineState").asInt());
        assertEquals("PowerOff", vm.get("VirtualMachineStateString").asText());
        assertEquals("PowerOff", simulator.vmStates().get(id));

        WsmanTestClient.Output again = client.runScript(PROLOGUE + get + "Stop-SCVirtualMachine | ConvertTo-Json -Compress -Depth 1");
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().startsWith("#< CLIXML\r\n<Objs Version=\"1.1.0.1\""), again.stderr());
        assertTrue(again.stderr().contains("<S S=\"Error\">Stop-SCVirtualMachine : VMM cannot complete"), again.stderr());

        json(client.runScript(PROLOGUE + "$id = '" + id + "'\r\nStart-SCVirtualMachine -VM (Get-SCVirtualMachine -ID $id) | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("Running", simulator.vmStates().get(id));
        WsmanTestClient.Output quiet = client.runScript(PROLOGUE + get + "Suspend-SCVirtualMachine | Out-Null");
        assertEquals(0, quiet.exitCode(), quiet.stderr());
        assertEquals("", quiet.stdout());
        assertEquals("Paused", simulator.vmStates().get(id));
        json(client.runScript(PROLOGUE + get + "Resume-SCVirtualMachine | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("Running", simulator.vmStates().get(id));
        json(client.runScript(PROLOGUE + get + "Reset-SCVirtualMachine | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("Running", simulator.vmStates().get(id));
        json(client.runScript(PROLOGUE + get + "Stop-SCVirtualMachine -SaveState | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("Saved", simulator.vmStates().get(id));
        json(client.runScript(PROLOGUE + get + "Stop-SCVirtualMachine -Force | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("PowerOff", simulator.vmStates().get(id));
        json(client.runScript(PROLOGUE + get + "Start-SCVirtualMachine | ConvertTo-Json -Compress -Depth 1"));
        assertEquals("Running", simulator.vmStates().get(id));
    }

    @Test
    void aPowerCmdletFailingHalfWayLeavesStdoutEmpty() throws Exception {
        try (WinRmSimulator small = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").inventory(0, 1, 10, 0))) {
            WsmanTestClient c = new WsmanTestClient(small.url(), small.identity().clientContext(), "A", "pa");
            WsmanTestClient.Output out = c.runScript(PROLOGUE + "Get-SCVirtualMachine -All | Suspend-SCVirtualMachine | ConvertTo-Json -Compress -Depth 1");
            assertEquals(1, out.exitCode());
            assertEquals("", out.stdout());
            assertTrue(out.stderr().contains("InvalidVMState"), out.stderr());
        }
    }

    @Test
    void scriptsOutsideTheGrammarFailLikePowerShell() throws Exception {
        WsmanTestClient.Output notACmdlet = client.runScript(PROLOGUE + "Get-Process | ConvertTo-Json -Compress -Depth 1");
        assertEquals(1, notACmdlet.exitCode());
        assertEquals("", notACmdlet.stdout());
        assertTrue(notACmdlet.stderr().contains("The term &apos;Get-Process&apos;") || notACmdlet.stderr().contains("The term 'Get-Process'"),
                notACmdlet.stderr());
        assertTrue(notACmdlet.stderr().contains("CommandNotFoundException_x000D__x000A_"), notACmdlet.stderr());

        WsmanTestClient.Output badGuid = client.runScript(PROLOGUE + "$id = 'x; Remove-Item C:\\'\r\nGet-SCVirtualMachine -ID $id | ConvertTo-Json -Compress -Depth 1");
        assertEquals(1, badGuid.exitCode());
        assertTrue(badGuid.stderr().contains("System.Guid"), badGuid.stderr());

        WsmanTestClient.Output noJson = client.runScript(PROLOGUE + "Get-SCVirtualMachine -All");
        assertEquals(1, noJson.exitCode());
        assertTrue(noJson.stderr().contains("ConvertTo-Json -Compress -Depth"), noJson.stderr());

        WsmanTestClient.Output scom = client.runScript("Import-Module OperationsManager");
        assertEquals(1, scom.exitCode());
        assertTrue(scom.stderr().contains("Modules_ModuleNotFound"), scom.stderr());

        WsmanTestClient.Output param = client.runScript(PROLOGUE + "Get-SCVMHost -Name x | ConvertTo-Json -Compress -Depth 1");
        assertTrue(param.stderr().contains("A parameter cannot be found that matches parameter name &apos;Name&apos;")
                || param.stderr().contains("parameter name 'Name'"), param.stderr());
    }

    @Test
    void importingWithoutSilencingProgressWritesAProgressRecord() throws Exception {
        WsmanTestClient.Output out = client.runScript("Import-Module VirtualMachineManager\nGet-SCVMHostCluster | ConvertTo-Json -Compress -Depth 2");
        assertEquals(0, out.exitCode());
        assertTrue(out.stderr().startsWith("#< CLIXML\r\n") && out.stderr().contains("Preparing modules for first use."), out.stderr());
        assertTrue(JSON.readTree(out.stdout()).isObject());
    }

    @Test
    void largeInventoriesAreStreamedInManyReceives() throws Exception {
        try (WinRmSimulator big = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").inventory(2, 10, 5_000, 3).seed(7))) {
            WsmanTestClient c = new WsmanTestClient(big.url(), big.identity().clientContext(), "A", "pa");
            WsmanTestClient.Output out = c.runScript(PROLOGUE + "ConvertTo-Json -InputObject @(Get-SCVirtualMachine -All) -Compress -Depth 2");
            JsonNode vms = json(out);
            assertEquals(5_000, vms.size());
            assertTrue(out.receives() > 5, "output arrives in chunks: " + out.receives());
            assertEquals("vm05000", vms.get(4_999).get("Name").asText());
        }
    }

    @Test
    void generatedInventoriesAreDeterministic() {
        try (WinRmSimulator a = WinRmSimulator.start(SimulatorConfig.scvmm().seed(3));
             WinRmSimulator b = WinRmSimulator.start(SimulatorConfig.scvmm().seed(3))) {
            assertEquals(a.vmStates(), b.vmStates());
        }
    }

    @Test
    void replayedInventoriesAreServedAsRecorded(@TempDir Path dir) throws Exception {
        String vmId = "6a1b6f53-0a7e-4b53-9d61-1c0c9d1f2a10";
        Path file = dir.resolve("inventory.json");
        Files.writeString(file, "{\"clusters\":[{\"Name\":\"c1.corp\",\"ID\":\"1b6f53aa-0a7e-4b53-9d61-1c0c9d1f2a10\",\"Nodes\":[\"h1.corp\"],\"Extra\":{\"a\":[1,2]}}],"
                + "\"hosts\":[{\"Name\":\"h1.corp\",\"ID\":\"2b6f53aa-0a7e-4b53-9d61-1c0c9d1f2a10\",\"TotalMemory\":1099511627776}],"
                + "\"vms\":[{\"Name\":\"O'Brien's VM\",\"ID\":\"" + vmId + "\",\"VirtualMachineState\":1,\"VirtualMachineStateString\":\"PowerOff\","
                + "\"StatusString\":\"PowerOff\",\"Status\":1,\"CreationTime\":\"/Date(1700000000000)/\",\"VirtualHardDisks\":[{\"Size\":42,\"Ratio\":12.50}]}],"
                + "\"templates\":[]}");
        try (WinRmSimulator replay = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").replay(file))) {
            WsmanTestClient c = new WsmanTestClient(replay.url(), replay.identity().clientContext(), "A", "pa");
            WsmanTestClient.Output out = c.runScript(PROLOGUE + "Get-SCVirtualMachine -All | ConvertTo-Json -Compress -Depth 3");
            assertEquals("{\"Name\":\"O\\u0027Brien\\u0027s VM\",\"ID\":\"" + vmId + "\",\"VirtualMachineState\":1,"
                    + "\"VirtualMachineStateString\":\"PowerOff\",\"StatusString\":\"PowerOff\",\"Status\":1,"
                    + "\"CreationTime\":\"\\/Date(1700000000000)\\/\",\"VirtualHardDisks\":[{\"Size\":42,\"Ratio\":12.50}]}\r\n", out.stdout());
            JsonNode clusters = json(c.runScript(PROLOGUE + "ConvertTo-Json -InputObject @(Get-SCVMHostCluster) -Compress -Depth 5"));
            assertEquals(2, clusters.get(0).get("Extra").get("a").get(1).asInt());
            JsonNode started = json(c.runScript(PROLOGUE + "$id = '" + vmId + "'\nGet-SCVirtualMachine -ID $id | Start-SCVirtualMachine | ConvertTo-Json -Compress -Depth 3"));
            assertEquals("Running", started.get("StatusString").asText());
            assertEquals(Map.of(UUID.fromString(vmId), "Running"), replay.vmStates());
            assertEquals("[]\r\n", c.runScript(PROLOGUE + "ConvertTo-Json -InputObject @(Get-SCVMTemplate) -Compress -Depth 2").stdout());
        }
    }
}
