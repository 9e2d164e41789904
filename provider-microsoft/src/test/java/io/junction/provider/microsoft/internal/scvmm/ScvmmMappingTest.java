package io.junction.provider.microsoft.internal.scvmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.InvalidInputException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.PowerAction;
import io.junction.provider.microsoft.internal.powershell.JsonItems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ScvmmMappingTest {

    private static <T> List<T> read(String resource, Function<JsonItems.Item, T> map) throws IOException {
        List<T> out = new ArrayList<>();
        try (InputStream in = ScvmmMappingTest.class.getResourceAsStream("/" + resource)) {
            JsonItems.forEach(in, o -> {
                T t = map.apply(o);
                if (t != null) {
                    out.add(t);
                }
            });
        }
        return out;
    }

    @Test
    void statesComeFromTheStringProperties() {
        assertEquals(PowerState.ON, ScvmmMapping.vmState("Running"));
        assertEquals(PowerState.OFF, ScvmmMapping.vmState("PowerOff"));
        assertEquals(PowerState.SUSPENDED, ScvmmMapping.vmState("Paused"));
        assertEquals(PowerState.SUSPENDED, ScvmmMapping.vmState("Saved"));
        assertEquals(PowerState.UNKNOWN, ScvmmMapping.vmState("Stored"));
        assertEquals(PowerState.UNKNOWN, ScvmmMapping.vmState("UnderCreation"));
        assertEquals(PowerState.UNKNOWN, ScvmmMapping.vmState("0"));
        assertEquals(PowerState.UNKNOWN, ScvmmMapping.vmState(null));
        assertEquals(PowerState.ON, ScvmmMapping.hostState("Responding"));
        assertEquals(PowerState.UNKNOWN, ScvmmMapping.hostState("NotResponding"));
    }

    @Test
    void vms() throws IOException {
        Map<String, VmItem> vms = read("scvmm-vms.json", ScvmmMapping::vm).stream()
                .collect(Collectors.toMap(VmItem::emsRef, v -> v));
        assertEquals(5, vms.size(), "the object without ID is left out");
        VmItem web = vms.get("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a");
        assertEquals("web01", web.name());
        assertEquals("hv01.contoso.com", web.hostRef());
        assertEquals(4, web.cpuCount());
        assertEquals(8192, web.memoryMb());
        assertEquals("Windows Server 2022 Datacenter", web.guestOs());
        assertEquals(List.of("10.10.0.21", "fe80::21d:d8ff:feb7:1c00"), web.ipAddresses());
        assertEquals(PowerState.ON, web.powerState());
        assertEquals("Running", web.rawState());
        assertFalse(web.template());

        VmItem db = vms.get("1c6c2d41-5d2e-4e57-9a9b-3d5d0f6e7a11");
        assertEquals("db's <primary>", db.name());
        assertEquals("Windows Server 2019 Standard", db.guestOs());
        assertEquals(PowerState.OFF, db.powerState());
        assertEquals(List.of(), db.ipAddresses());

        assertEquals(PowerState.SUSPENDED, vms.get("2d4e6f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f").powerState());
        assertEquals(List.of("10.10.0.31", "10.10.1.31"), vms.get("2d4e6f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f").ipAddresses());
        VmItem paused = vms.get("3e5f7091-2b3c-4d4e-9f0a-1b2c3d4e5f60");
        assertEquals(PowerState.SUSPENDED, paused.powerState());
        assertNull(paused.guestOs());
        VmItem creating = vms.get("4f60a1b2-3c4d-4e5f-8a0b-2c3d4e5f6071");
        assertEquals(PowerState.UNKNOWN, creating.powerState());
        assertEquals("UnderCreation", creating.rawState());
    }

    @Test
    void clustersAndHostsLinkByName() throws IOException {
        ScvmmMapping mapping = new ScvmmMapping();
        List<ClusterItem> clusters = read("scvmm-clusters.json", mapping::cluster);
        assertEquals(List.of(new ClusterItem("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", "clu01.contoso.com"),
                new ClusterItem("1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b", "clu02.contoso.com")), clusters);
        Map<String, HostItem> hosts = read("scvmm-hosts.json", mapping::host).stream()
                .collect(Collectors.toMap(HostItem::emsRef, h -> h));
        HostItem hv01 = hosts.get("hv01.contoso.com");
        assertEquals("HV01.contoso.com", hv01.name());
        assertEquals("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", hv01.clusterRef());
        assertEquals(48, hv01.cpuCount());
        assertEquals(274877906944L, hv01.memoryBytes());
        assertEquals(PowerState.ON, hv01.powerState());
        HostItem hv02 = hosts.get("hv02.contoso.com");
        assertEquals("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", hv02.clusterRef(), "a node named as a string");
        assertEquals(PowerState.UNKNOWN, hv02.powerState());
        assertEquals("NotResponding", hv02.rawState());
        assertEquals("1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b", hosts.get("hv03.contoso.com").clusterRef(), "through HostCluster's name");
    }

    @Test
    void aSingleObjectIsOneItemAndNothingIsNone() throws IOException {
        List<VmItem> templates = read("scvmm-template.json", ScvmmMapping::template);
        assertEquals(1, templates.size());
        VmItem t = templates.get(0);
        assertTrue(t.template());
        assertEquals("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", t.emsRef());
        assertEquals(4096, t.memoryMb());
        assertEquals("Windows Server 2022 Datacenter", t.guestOs());
        assertEquals(0, JsonItems.forEach(new ByteArrayInputStream(new byte[0]), o -> { }));
        assertEquals(0, JsonItems.forEach(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8)), o -> { }));
        assertEquals(2, JsonItems.forEach(new ByteArrayInputStream("\uFEFF[{\"ID\":1},{\"ID\":2}]\r\n".getBytes(StandardCharsets.UTF_8)), o -> { }));
    }

    /** 100k VMs stream through with only one held at a time: the input is generated, never a string in memory. */
    @Test
    void largeOutputStreams() throws IOException {
        int n = 100_000;
        InputStream generated = new InputStream() {
            private int vm = -1;
            private byte[] buf = "[".getBytes(StandardCharsets.UTF_8);
            private int pos;

            @Override
            public int read() {
                if (pos == buf.length) {
                    if (++vm > n) {
                        return -1;
                    }
                    String s = vm == n ? "]" : (vm > 0 ? "," : "") + String.format(
                            "{\"ID\":\"%08x-0000-4000-8000-000000000000\",\"Name\":\"vm%d\",\"HostName\":\"hv%d.contoso.com\",\"CPUCount\":2,"
                                    + "\"Memory\":2048,\"VirtualMachineStateString\":\"Running\",\"OperatingSystem\":{\"Name\":\"Windows\"},"
                                    + "\"VirtualNetworkAdapters\":[{\"IPv4Addresses\":[\"10.0.0.1\"]}]}", vm, vm, vm % 50);
                    buf = s.getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                return buf[pos++];
            }
        };
        long[] on = new long[1];
        long count = JsonItems.forEach(generated, o -> {
            if (ScvmmMapping.vm(o).powerState() == PowerState.ON) {
                on[0]++;
            }
        });
        assertEquals(n, count);
        assertEquals(n, on[0]);
    }

    @Test
    void powerScriptsCarryOnlyTheGuid() {
        String text = ScvmmScripts.power("8F1E6A57-0C1D-4D0E-9A42-1B7C2F3E4D5A", PowerAction.STOP).text();
        assertTrue(text.startsWith("$id='8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a';"), text);
        assertTrue(text.contains("Stop-SCVirtualMachine -VM (Get-SCVirtualMachine -ID $id) -Force|"), text);
        assertTrue(ScvmmScripts.power("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a", PowerAction.SHUTDOWN).text()
                .contains("Stop-SCVirtualMachine -VM (Get-SCVirtualMachine -ID $id) -Shutdown|"));
        for (PowerAction a : PowerAction.values()) {
            ScvmmScripts.power("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a", a).commandLine();
        }
        Executable injected = () -> ScvmmScripts.power("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a';Stop-Computer;'", PowerAction.START);
        org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class, injected);
    }

    @Test
    void inventoryScriptsFitOnACommandLine() {
        for (String s : List.of(ScvmmScripts.VERIFY, ScvmmScripts.CLUSTERS, ScvmmScripts.HOSTS, ScvmmScripts.VMS, ScvmmScripts.TEMPLATES)) {
            io.junction.provider.microsoft.internal.powershell.PowerShellScript.of(s).commandLine();
        }
    }
}
