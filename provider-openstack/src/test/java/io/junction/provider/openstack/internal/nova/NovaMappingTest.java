package io.junction.provider.openstack.internal.nova;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.PowerAction;
import io.junction.provider.openstack.internal.Samples;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NovaMappingTest {

    @Test
    void serversPageIsStreamedWithItsNextLink() {
        List<VmItem> vms = new ArrayList<>();
        PageReader.Page page = PageReader.read(new ByteArrayInputStream(Samples.bytes("nova-servers-page1.json")), "servers",
                s -> vms.add(NovaMapping.vm(s, Map.of())));
        assertEquals(2, page.items());
        assertEquals("e6f3c53a-3b5b-4b5f-9d6e-1b1f1c0a7d11", PageReader.marker(page.next()));

        VmItem web = vms.get(0);
        assertEquals("9168b536-cd40-4630-b43f-b259807c6e87", web.emsRef());
        assertEquals("web01", web.name());
        assertEquals("compute1.example.com", web.hostRef());
        assertEquals(2, web.cpuCount());
        assertEquals(2048, web.memoryMb());
        assertEquals("linux", web.guestOs());
        assertEquals(List.of("192.168.1.30", "172.24.4.10"), web.ipAddresses());
        assertEquals(PowerState.ON, web.powerState());
        assertEquals("ACTIVE/1", web.rawState());

        VmItem db = vms.get(1);
        assertNull(db.hostRef(), "host fields are admin-only");
        assertEquals(PowerState.OFF, db.powerState());
        assertEquals("SHUTOFF/4", db.rawState());

        List<VmItem> last = new ArrayList<>();
        PageReader.Page end = PageReader.read(new ByteArrayInputStream(Samples.bytes("nova-servers-page2.json")), "servers",
                s -> last.add(NovaMapping.vm(s, Map.of())));
        assertNull(end.next());
        assertEquals(PowerState.SUSPENDED, last.get(0).powerState());
        assertEquals(List.of("2001:db8::5"), last.get(0).ipAddresses());
    }

    @Test
    void glanceNextLinkIsFollowed() {
        String page = "{\"images\":[{\"id\":\"70a599e0-31e7-49b7-b260-868f441e862b\",\"name\":\"cirros\",\"status\":\"active\","
                + "\"min_ram\":64,\"os_distro\":\"cirros\",\"visibility\":\"public\"}],"
                + "\"next\":\"/v2/images?marker=70a599e0-31e7-49b7-b260-868f441e862b&limit=1\",\"first\":\"/v2/images\",\"schema\":\"/v2/schemas/images\"}";
        List<VmItem> t = new ArrayList<>();
        PageReader.Page p = PageReader.read(new ByteArrayInputStream(page.getBytes()), "images", i -> t.add(NovaMapping.template(i)));
        assertEquals("70a599e0-31e7-49b7-b260-868f441e862b", PageReader.marker(p.next()));
        assertTrue(t.get(0).template());
        assertEquals("cirros", t.get(0).guestOs());
        assertEquals("image/active", t.get(0).rawState());
    }

    @Test
    void flavorByIdBeforeMicroversion247() throws Exception {
        JsonNode s = JsonHttp.JSON.readTree("{\"id\":\"x\",\"name\":\"old\",\"status\":\"ACTIVE\",\"OS-EXT-STS:power_state\":1,"
                + "\"flavor\":{\"id\":\"42\",\"links\":[]}}");
        VmItem vm = NovaMapping.vm(s, Map.of("42", new NovaMapping.Flavor(8, 16384)));
        assertEquals(8, vm.cpuCount());
        assertEquals(16384, vm.memoryMb());
    }

    @Test
    void powerStates() {
        assertEquals(PowerState.ON, NovaMapping.powerState(1, null));
        for (int off : new int[]{0, 4, 6}) {
            assertEquals(PowerState.OFF, NovaMapping.powerState(off, null));
        }
        assertEquals(PowerState.SUSPENDED, NovaMapping.powerState(3, null));
        assertEquals(PowerState.SUSPENDED, NovaMapping.powerState(7, null));
        assertEquals(PowerState.UNKNOWN, NovaMapping.powerState(9, null));
        assertEquals(PowerState.OFF, NovaMapping.powerState(null, "stopped"));
        assertEquals("BUILD/building", NovaMapping.rawState("BUILD", null, "building"));
    }

    @Test
    void hypervisorsAndZones() throws Exception {
        JsonNode zones = JsonHttp.JSON.readTree(Samples.bytes("nova-availability-zones.json")).path("availabilityZoneInfo");
        assertNull(NovaMapping.zone(zones.get(0)), "Nova's internal zone is left out");
        ClusterItem nova = NovaMapping.zone(zones.get(1));
        assertEquals("nova", nova.emsRef());
        JsonNode h = JsonHttp.JSON.readTree(Samples.bytes("nova-hypervisors.json")).path("hypervisors").get(0);
        HostItem host = NovaMapping.host(h, Map.of("compute1", "nova"));
        assertEquals("compute1.example.com", host.emsRef());
        assertEquals("nova", host.clusterRef());
        assertEquals(2, host.cpuCount());
        assertEquals(8192L * 1024 * 1024, host.memoryBytes());
        assertEquals(PowerState.ON, host.powerState());
        assertEquals("up/enabled", host.rawState());
    }

    @Test
    void actionsAndConflicts() {
        assertEquals("{\"os-start\":null}", NovaMapping.actionBody(PowerAction.START));
        assertEquals("{\"os-stop\":null}", NovaMapping.actionBody(PowerAction.SHUTDOWN));
        assertEquals("{\"reboot\":{\"type\":\"SOFT\"}}", NovaMapping.actionBody(PowerAction.RESTART));
        assertEquals("{\"reboot\":{\"type\":\"HARD\"}}", NovaMapping.actionBody(PowerAction.RESET));
        String nova = "Cannot 'os-stop' instance 9168b536-cd40-4630-b43f-b259807c6e87 while it is in vm_state stopped";
        assertEquals("VM is already stopped (Nova: " + nova + ")", NovaMapping.conflict("9168", PowerAction.STOP, nova));
        assertTrue(NovaMapping.conflict("9168", PowerAction.START, "Cannot 'start' instance x while it is in vm_state active")
                .startsWith("VM is already running"));
        assertTrue(NovaMapping.conflict("9168", PowerAction.RESUME, "Cannot 'resume' instance x while it is in vm_state active")
                .startsWith("VM is not suspended (it is active)"));
        assertEquals("Nova refused to stop VM 9168: locked", NovaMapping.conflict("9168", PowerAction.STOP, "locked"));
    }

    @Test
    void errorMessagesOfOpenStackAnswers() {
        assertEquals("Cannot 'os-stop' instance", JsonHttpAccess.message("{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'os-stop' instance\"}}"));
        assertEquals("The request you have made requires authentication.",
                JsonHttpAccess.message("{\"error\": {\"code\": 401, \"title\": \"Unauthorized\", \"message\": \"The request you have made requires authentication.\"}}"));
        assertEquals("<html> gateway </html>", JsonHttpAccess.message("<html>\n gateway\n</html>"));
    }
}
