package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NovaTest {
    static OpenStackSimulator sim;
    static OpenStackClient client;
    static String admin;
    static String alice;

    @BeforeAll
    static void start() {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user("admin", "secret", true).user("alice", "pa", false)
                .servers(25).maxLimit(1000).withoutAmqp());
        client = new OpenStackClient(sim);
        admin = client.token("admin", "secret", "demo");
        alice = client.token("alice", "pa", "demo");
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void paginationOverThreePagesReachesEveryServerOnce() {
        List<String> seen = new ArrayList<>();
        String url = sim.novaUrl() + "/servers/detail?limit=10";
        int pages = 0;
        while (url != null) {
            JsonNode page = client.get(url, alice).json();
            pages++;
            page.get("servers").forEach(s -> seen.add(s.get("id").asText()));
            url = null;
            for (JsonNode link : page.path("servers_links")) {
                if (link.get("rel").asText().equals("next")) {
                    url = link.get("href").asText();
                }
            }
        }
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(new HashSet<>(seen), sim.serverStates().keySet());
        assertEquals(25, new HashSet<>(seen).size());
    }

    @Test
    void aFullLastPageStillHasANextLinkToAnEmptyPageAsNovaDoes() {
        JsonNode page = client.get(sim.novaUrl() + "/servers/detail?limit=25", alice).json();
        assertEquals(25, page.get("servers").size());
        String next = page.at("/servers_links/0/href").asText();
        JsonNode last = client.get(next, alice).json();
        assertEquals(0, last.get("servers").size());
        assertTrue(last.path("servers_links").isMissingNode());
    }

    @Test
    void badLimitAndUnknownMarkerAre400() {
        assertEquals(400, client.get(sim.novaUrl() + "/servers/detail?limit=-1", alice).status());
        OpenStackClient.Answer a = client.get(sim.novaUrl() + "/servers/detail?marker=nope", alice);
        assertEquals(400, a.status());
        assertEquals("marker [nope] not found", a.json().at("/badRequest/message").asText());
    }

    @Test
    void microversionsShapeTheServerAndAreEchoed() {
        JsonNode old = client.get(sim.novaUrl() + "/servers/detail?limit=1", alice).json().at("/servers/0");
        assertEquals("1", client.get(sim.novaUrl() + "/servers/detail?limit=1", alice).header("X-OpenStack-Nova-API-Version").substring(2));
        assertTrue(old.at("/flavor/id").isTextual());
        assertEquals("bookmark", old.at("/flavor/links/0/rel").asText());

        OpenStackClient.Answer a = client.get(sim.novaUrl() + "/servers/detail?limit=1", alice, "OpenStack-API-Version", "compute 2.47");
        assertEquals("compute 2.47", a.header("OpenStack-API-Version"));
        JsonNode s = a.json().at("/servers/0");
        assertTrue(s.at("/flavor/id").isMissingNode());
        assertTrue(s.at("/flavor/vcpus").isInt());
        assertTrue(s.at("/flavor/ram").isInt());
        assertTrue(s.at("/flavor/disk").isInt());
        assertTrue(s.at("/flavor/original_name").asText().startsWith("m1."));

        JsonNode legacy = client.get(sim.novaUrl() + "/servers/detail?limit=1", alice, "X-OpenStack-Nova-API-Version", "2.60").json();
        assertTrue(legacy.at("/servers/0/flavor/vcpus").isInt());
        assertEquals("2.90", client.get(sim.novaUrl() + "/servers/detail?limit=1", alice, "OpenStack-API-Version", "compute latest")
                .header("X-OpenStack-Nova-API-Version"));
    }

    @Test
    void unsupportedMicroversionIs406AndGarbageIs400() {
        OpenStackClient.Answer a = client.get(sim.novaUrl() + "/servers/detail", alice, "OpenStack-API-Version", "compute 2.91");
        assertEquals(406, a.status());
        assertEquals("Version 2.91 is not supported by the API. Minimum is 2.1 and maximum is 2.90.",
                a.json().at("/computeFault/message").asText());
        assertEquals(406, client.get(sim.novaUrl() + "/flavors/detail", alice, "OpenStack-API-Version", "compute 3.0").status());
        assertEquals(400, client.get(sim.novaUrl() + "/flavors/detail", alice, "OpenStack-API-Version", "compute 2.x").status());
        JsonNode versions = client.get(sim.novaUrl().replace("/v2.1", "/"), null).json();
        assertEquals("2.90", versions.at("/versions/1/version").asText());
        assertEquals("2.1", versions.at("/versions/1/min_version").asText());
    }

    @Test
    void serverFieldsAndAdminOnlyHostAttributes() {
        JsonNode mine = client.get(sim.novaUrl() + "/servers/detail?limit=1", alice).json().at("/servers/0");
        for (String field : List.of("id", "name", "status", "OS-EXT-STS:power_state", "OS-EXT-STS:vm_state", "OS-EXT-STS:task_state",
                "OS-EXT-AZ:availability_zone", "flavor", "image", "addresses", "created", "updated", "tenant_id", "user_id", "links")) {
            assertTrue(mine.has(field), field);
        }
        assertTrue(mine.get("OS-EXT-STS:power_state").isInt());
        assertFalse(mine.has("OS-EXT-SRV-ATTR:host"));
        assertFalse(mine.has("OS-EXT-SRV-ATTR:hypervisor_hostname"));
        JsonNode theirs = client.get(sim.novaUrl() + "/servers/detail?limit=1", admin).json().at("/servers/0");
        assertTrue(theirs.get("OS-EXT-SRV-ATTR:host").asText().startsWith("compute-"));
        assertTrue(theirs.get("OS-EXT-SRV-ATTR:hypervisor_hostname").asText().endsWith(".junction.test"));
        Map<Integer, String> expected = Map.of(1, "ACTIVE", 4, "SHUTOFF", 3, "PAUSED", 7, "SUSPENDED");
        Set<String> statuses = new HashSet<>();
        client.get(sim.novaUrl() + "/servers/detail", alice).json().get("servers").forEach(s -> {
            assertEquals(expected.get(s.get("OS-EXT-STS:power_state").asInt()), s.get("status").asText());
            statuses.add(s.get("status").asText());
        });
        assertEquals(Set.of("ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED"), statuses);
    }

    @Test
    void hypervisorsAreAdminOnly() {
        OpenStackClient.Answer denied = client.get(sim.novaUrl() + "/os-hypervisors/detail", alice);
        assertEquals(403, denied.status());
        assertEquals("Policy doesn't allow os_compute_api:os-hypervisors:list-detail to be performed.",
                denied.json().at("/forbidden/message").asText());
        assertEquals(403, denied.json().at("/forbidden/code").asInt());
        JsonNode list = client.get(sim.novaUrl() + "/os-hypervisors/detail", admin).json().get("hypervisors");
        assertEquals(4, list.size());
        assertTrue(list.get(0).get("id").isInt());
        assertTrue(list.get(0).has("vcpus"));
    }

    @Test
    void inventoryAccessorsMatchWhatClientsList() {
        List<String> hostnames = new ArrayList<>();
        client.get(sim.novaUrl() + "/os-hypervisors/detail", admin).json().get("hypervisors")
                .forEach(h -> hostnames.add(h.get("hypervisor_hostname").asText()));
        assertEquals(hostnames, sim.hypervisorHostnames());
        List<String> images = new ArrayList<>();
        client.get(sim.glanceUrl() + "/v2/images", alice).json().get("images").forEach(i -> images.add(i.get("id").asText()));
        assertEquals(images, sim.imageIds());
        assertThrows(UnsupportedOperationException.class, () -> sim.imageIds().clear());
    }

    @Test
    void flavorsAndZones() {
        JsonNode flavors = client.get(sim.novaUrl() + "/flavors/detail", alice).json().get("flavors");
        assertEquals(5, flavors.size());
        assertTrue(flavors.get(0).has("vcpus") && flavors.get(0).has("ram") && flavors.get(0).has("disk"));
        JsonNode zones = client.get(sim.novaUrl() + "/os-availability-zone", alice).json().get("availabilityZoneInfo");
        assertEquals(2, zones.size());
        assertTrue(zones.get(0).at("/zoneState/available").asBoolean());
        assertEquals(4, client.get(sim.glanceUrl() + "/v2/images", alice).json().get("images").size());
        JsonNode page = client.get(sim.glanceUrl() + "/v2/images?limit=2", alice).json();
        assertEquals(2, page.get("images").size());
        JsonNode rest = client.get(sim.glanceUrl() + page.get("next").asText(), alice).json();
        assertEquals(2, rest.get("images").size());
        assertEquals("active", rest.at("/images/0/status").asText());
    }

    @Test
    void actionsChangeStateOr409() {
        String active = firstWithStatus("ACTIVE");
        String url = sim.novaUrl() + "/servers/" + active + "/action";
        assertEquals(202, client.post(url, alice, "{\"os-stop\": null}").status());
        assertEquals("SHUTOFF", sim.serverState(active));
        JsonNode server = client.get(sim.novaUrl() + "/servers/" + active, alice).json().get("server");
        assertEquals(4, server.get("OS-EXT-STS:power_state").asInt());
        assertEquals("stopped", server.get("OS-EXT-STS:vm_state").asText());

        OpenStackClient.Answer again = client.post(url, alice, "{\"os-stop\": null}");
        assertEquals(409, again.status());
        assertEquals("Cannot 'stop' instance " + active + " while it is in vm_state stopped",
                again.json().at("/conflictingRequest/message").asText());
        assertEquals(409, client.post(url, alice, "{\"reboot\": {\"type\": \"SOFT\"}}").status());
        assertEquals(202, client.post(url, alice, "{\"reboot\": {\"type\": \"HARD\"}}").status());
        assertEquals("ACTIVE", sim.serverState(active));
        assertEquals(202, client.post(url, alice, "{\"suspend\": null}").status());
        assertEquals("SUSPENDED", sim.serverState(active));
        assertEquals(409, client.post(url, alice, "{\"os-start\": null}").status());
        assertEquals(202, client.post(url, alice, "{\"resume\": null}").status());
        assertEquals("ACTIVE", sim.serverState(active));

        assertEquals(400, client.post(url, alice, "{not json").status());
        assertEquals(415, client.send("POST", url, "{\"os-stop\": null}", Map.of("X-Auth-Token", alice, "Content-Type", "text/plain"))
                .status());
        assertEquals(400, client.post(url, alice, "{\"reboot\": {\"type\": \"GENTLE\"}}").status());
        assertEquals(400, client.post(url, alice, "{\"os-stop\": {}}").status());
        OpenStackClient.Answer missing = client.post(sim.novaUrl() + "/servers/00000000-0000-0000-0000-000000000000/action", alice,
                "{\"os-stop\": null}");
        assertEquals(404, missing.status());
        assertEquals("Instance 00000000-0000-0000-0000-000000000000 could not be found.", missing.json().at("/itemNotFound/message").asText());
    }

    @Test
    void requestLogRecordsTokenAndMicroversion() {
        sim.clearRequests();
        client.get(sim.novaUrl() + "/flavors/detail", alice, "OpenStack-API-Version", "compute 2.61");
        LoggedRequest r = sim.requests().get(0);
        assertEquals(new LoggedRequest("nova", "GET", "/v2.1/flavors/detail", alice, "2.61", 200), r);
        assertNull(client.get(sim.novaUrl() + "/flavors/detail", null).json().get("flavors"));
    }

    private static String firstWithStatus(String status) {
        return sim.serverStates().entrySet().stream().filter(e -> e.getValue().equals(status)).findFirst().orElseThrow().getKey();
    }
}
