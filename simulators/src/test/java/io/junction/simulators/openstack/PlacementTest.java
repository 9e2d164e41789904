package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlacementTest {
    static OpenStackSimulator sim;
    static OpenStackClient client;
    static String admin;
    static String alice;

    @BeforeAll
    static void start() {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user("admin", "secret", true).user("alice", "pa", false)
                .servers(8).withoutAmqp());
        client = new OpenStackClient(sim);
        admin = client.token("admin", "secret", "demo");
        alice = client.token("alice", "pa", "demo");
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void placementIsInTheCatalog() {
        JsonNode catalog = client.authenticate("admin", "secret", "demo").json().at("/token/catalog");
        List<String> urls = new ArrayList<>();
        catalog.forEach(s -> {
            if (s.path("type").asText().equals("placement")) {
                s.path("endpoints").forEach(e -> urls.add(e.path("url").asText()));
            }
        });
        assertEquals(List.of(sim.placementUrl(), sim.placementUrl(), sim.placementUrl()), urls);
    }

    @Test
    void eachHypervisorIsAResourceProviderWithTheCapacityNovaReportsBefore288() {
        JsonNode hypervisors = client.get(sim.novaUrl() + "/os-hypervisors/detail", admin,
                "OpenStack-API-Version", "compute 2.87").json().get("hypervisors");
        assertEquals(sim.hypervisorHostnames().size(), hypervisors.size());
        for (JsonNode h : hypervisors) {
            String id = h.get("id").asText();
            OpenStackClient.Answer inventories = client.get(sim.placementUrl() + "/resource_providers/" + id + "/inventories", admin,
                    "OpenStack-API-Version", "placement 1.0");
            assertEquals(200, inventories.status(), inventories.body());
            assertEquals("placement 1.0", inventories.header("OpenStack-API-Version"));
            JsonNode inv = inventories.json().get("inventories");
            assertEquals(h.get("vcpus").asInt(), inv.at("/VCPU/total").asInt());
            assertEquals(h.get("memory_mb").asLong(), inv.at("/MEMORY_MB/total").asLong());
            assertEquals(h.get("local_gb").asLong(), inv.at("/DISK_GB/total").asLong());
            assertTrue(inventories.json().get("resource_provider_generation").isInt());

            JsonNode byName = client.get(sim.placementUrl() + "/resource_providers?name=" + h.get("hypervisor_hostname").asText(),
                    admin).json().get("resource_providers");
            assertEquals(1, byName.size());
            assertEquals(id, byName.get(0).get("uuid").asText());
        }
    }

    @Test
    void from288NovaNoLongerReportsCapacity() {
        JsonNode h = client.get(sim.novaUrl() + "/os-hypervisors/detail", admin, "OpenStack-API-Version", "compute 2.88")
                .json().at("/hypervisors/0");
        assertFalse(h.has("vcpus"));
        assertFalse(h.has("memory_mb"));
        assertTrue(h.has("hypervisor_hostname"));
    }

    @Test
    void placementRefusesWhatTheRealOneRefuses() {
        assertEquals(401, client.get(sim.placementUrl() + "/resource_providers", null).status());
        OpenStackClient.Answer denied = client.get(sim.placementUrl() + "/resource_providers", alice);
        assertEquals(403, denied.status());
        assertEquals("Policy does not allow placement:resource_providers:list to be performed.",
                denied.json().at("/errors/0/detail").asText());
        OpenStackClient.Answer tooNew = client.get(sim.placementUrl() + "/resource_providers", admin,
                "OpenStack-API-Version", "placement 1.99");
        assertEquals(406, tooNew.status());
        assertEquals(400, client.get(sim.placementUrl() + "/resource_providers", admin,
                "OpenStack-API-Version", "placement one").status());
        assertEquals(400, client.get(sim.placementUrl() + "/resource_providers?color=red", admin).status());
        OpenStackClient.Answer unknown = client.get(sim.placementUrl()
                + "/resource_providers/00000000-0000-0000-0000-000000000000/inventories", admin);
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().at("/errors/0/detail").asText().contains("No resource provider with uuid"), unknown.body());
        assertEquals(200, client.get(sim.placementUrl() + "/", null).status(), "the version document needs no token");
    }
}
