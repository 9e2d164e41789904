package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LargeInventoryTest {
    @Test
    void hundredThousandServersPageByMaxLimit() {
        try (OpenStackSimulator sim = OpenStackSimulator.start(OpenStackConfig.create().user("u", "p", false).servers(100_000)
                .withoutAmqp())) {
            OpenStackClient client = new OpenStackClient(sim);
            String token = client.token("u", "p", "demo");
            JsonNode page = client.get(sim.novaUrl() + "/servers/detail?limit=5000", token).json();
            assertEquals(1000, page.get("servers").size());
            String next = page.at("/servers_links/0/href").asText();
            assertTrue(next.contains("limit=1000&marker=" + page.at("/servers/999/id").asText()), next);
            assertEquals("vm-100000", page.at("/servers/0/name").asText());
            assertEquals("10.1.134.161", page.at("/servers/0/addresses/private/0/addr").asText());
            assertEquals(100_000, sim.serverStates().size());
        }
    }

    @Test
    void sameSeedSameCloud() {
        OpenStackConfig config = OpenStackConfig.create().user("u", "p", false).servers(5).seed(7).withoutAmqp();
        try (OpenStackSimulator a = OpenStackSimulator.start(config); OpenStackSimulator b = OpenStackSimulator.start(config)) {
            assertEquals(a.serverStates(), b.serverStates());
        }
    }
}
