package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedResponseTest {
    @Test
    void fileNamesFollowMethodPathAndSortedQuery() {
        assertEquals("GET_v2.1_servers_detail.json", RecordedResponses.fileName("GET", "/v2.1/servers/detail", null));
        assertEquals("GET_v2.1_servers_detail__limit=2&marker=abc.json",
                RecordedResponses.fileName("GET", "/v2.1/servers/detail", "marker=abc&limit=2"));
        assertEquals("GET_v2_images.json", RecordedResponses.fileName("GET", "/v2/images/", ""));
    }

    @Test
    void recordedAnswersAreServedAndFollowedAcrossPages(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("GET_v2.1_servers_detail__limit=1.json"), """
                {"servers": [{"id": "11111111-2222-3333-4444-555555555555", "name": "recorded-1", "status": "ACTIVE",
                  "OS-EXT-STS:power_state": 1}],
                 "servers_links": [{"href": "{{nova}}/servers/detail?limit=1&marker=11111111-2222-3333-4444-555555555555", "rel": "next"}]}
                """);
        Files.writeString(dir.resolve("GET_v2.1_servers_detail__limit=1&marker=11111111-2222-3333-4444-555555555555.json"), """
                {"servers": []}
                """);
        Files.writeString(dir.resolve("GET_v2_images.json"), "{\"images\": [{\"id\": \"img\", \"name\": \"recorded\"}]}");
        try (OpenStackSimulator sim = OpenStackSimulator.start(OpenStackConfig.create().user("u", "p", false).recorded(dir)
                .withoutAmqp())) {
            OpenStackClient client = new OpenStackClient(sim);
            String token = client.token("u", "p", "demo");
            JsonNode first = client.get(sim.novaUrl() + "/servers/detail?limit=1", token).json();
            assertEquals("recorded-1", first.at("/servers/0/name").asText());
            JsonNode second = client.get(first.at("/servers_links/0/href").asText(), token).json();
            assertEquals(0, second.get("servers").size());
            assertEquals("recorded", client.get(sim.glanceUrl() + "/v2/images", token).json().at("/images/0/name").asText());
            // not recorded: the generated cloud answers; the token is still required
            assertEquals(5, client.get(sim.novaUrl() + "/flavors/detail", token).json().get("flavors").size());
            assertEquals(401, client.get(sim.novaUrl() + "/servers/detail?limit=1", "gAAAAABbad").status());
        }
    }
}
