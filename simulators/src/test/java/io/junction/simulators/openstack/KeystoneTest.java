package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoneTest {
    static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-11-25T07:00:00Z"));
    static OpenStackSimulator sim;
    static OpenStackClient client;

    @BeforeAll
    static void start(@TempDir Path dir) {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user("admin", "secret", true).user("alice", "pa", false)
                .project("demo").caOut(dir.resolve("ca.pem")).clock(CLOCK).tokenLifetime(Duration.ofHours(1))
                .region("RegionTwo").withoutAmqp());
        client = new OpenStackClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void passwordAuthAnswers201WithTheTokenOnlyInTheHeader() throws Exception {
        OpenStackClient.Answer a = client.authenticate("alice", "pa", "demo");
        assertEquals(201, a.status());
        String token = a.header("X-Subject-Token");
        assertNotNull(token);
        assertTrue(token.startsWith("gAAAAAB"));
        assertFalse(a.body().contains(token));
        JsonNode t = a.json().get("token");
        assertEquals("alice", t.at("/user/name").asText());
        assertEquals("default", t.at("/user/domain/id").asText());
        assertEquals("demo", t.at("/project/name").asText());
        assertEquals(sim.projectId("demo"), t.at("/project/id").asText());
        assertEquals("password", t.at("/methods/0").asText());
        assertEquals("2026-11-25T07:00:00.000000Z", t.get("issued_at").asText());
        assertEquals("2026-11-25T08:00:00.000000Z", t.get("expires_at").asText());
        List<String> roles = new ArrayList<>();
        t.get("roles").forEach(r -> roles.add(r.get("name").asText()));
        assertEquals(List.of("member", "reader"), roles);
        assertTrue(Files.readString(sim.caPem()).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void domainAndProjectByIdWork() {
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"},
                 "password": "secret"}}}, "scope": {"project": {"id": "%s"}}}}""".formatted(sim.projectId("demo"));
        assertEquals(201, client.send("POST", sim.keystoneUrl() + "/auth/tokens", body, Map.of()).status());
    }

    @Test
    void wrongPasswordUnknownUserAndUnknownProjectAre401() {
        for (OpenStackClient.Answer a : List.of(client.authenticate("alice", "nope", "demo"),
                client.authenticate("mallory", "pa", "demo"), client.authenticate("alice", "pa", "other"))) {
            assertEquals(401, a.status());
            assertNull(a.header("X-Subject-Token"));
            assertEquals(401, a.json().at("/error/code").asInt());
            assertEquals("Unauthorized", a.json().at("/error/title").asText());
            assertEquals("The request you have made requires authentication.", a.json().at("/error/message").asText());
        }
        String otherDomain = OpenStackClient.passwordAuth("alice", "pa", "demo").replace("\"name\": \"Default\"", "\"name\": \"Lab\"");
        assertEquals(401, client.send("POST", sim.keystoneUrl() + "/auth/tokens", otherDomain, Map.of()).status());
    }

    @Test
    void malformedAuthIs400() {
        OpenStackClient.Answer a = client.send("POST", sim.keystoneUrl() + "/auth/tokens", "{\"auth\": {}}", Map.of());
        assertEquals(400, a.status());
        assertEquals("Bad Request", a.json().at("/error/title").asText());
    }

    @Test
    void catalogPointsAtNovaAndGlanceOnAllInterfaces() {
        JsonNode catalog = client.authenticate("alice", "pa", "demo").json().at("/token/catalog");
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        catalog.forEach(s -> byType.put(s.get("type").asText(), s));
        assertEquals("nova", byType.get("compute").get("name").asText());
        assertEquals("glance", byType.get("image").get("name").asText());
        assertEquals("keystone", byType.get("identity").get("name").asText());
        for (String type : List.of("compute", "image")) {
            JsonNode service = byType.get(type);
            assertFalse(service.get("id").asText().isEmpty());
            List<String> interfaces = new ArrayList<>();
            for (JsonNode e : service.get("endpoints")) {
                interfaces.add(e.get("interface").asText());
                assertEquals("RegionTwo", e.get("region").asText());
                assertEquals("RegionTwo", e.get("region_id").asText());
                assertFalse(e.get("id").asText().isEmpty());
                assertEquals(type.equals("compute") ? sim.novaUrl() : sim.glanceUrl(), e.get("url").asText());
            }
            assertEquals(List.of("public", "internal", "admin"), interfaces);
        }
    }

    @Test
    void catalogWithoutCompute(@TempDir Path dir) {
        try (OpenStackSimulator bare = OpenStackSimulator.start(OpenStackConfig.create().user("u", "p", false).withoutComputeInCatalog()
                .withoutAmqp())) {
            JsonNode catalog = new OpenStackClient(bare).authenticate("u", "p", "demo").json().at("/token/catalog");
            List<String> types = new ArrayList<>();
            catalog.forEach(s -> types.add(s.get("type").asText()));
            assertEquals(List.of("identity", "image", "placement"), types);
        }
    }

    @Test
    void tokensValidateAndExpireByTheClock() {
        String admin = client.token("admin", "secret", "demo");
        String alice = client.token("alice", "pa", "demo");
        OpenStackClient.Answer v = client.get(sim.keystoneUrl() + "/auth/tokens", admin, "X-Subject-Token", alice);
        assertEquals(200, v.status());
        assertEquals("alice", v.json().at("/token/user/name").asText());
        assertEquals(404, client.get(sim.keystoneUrl() + "/auth/tokens", admin, "X-Subject-Token", "gAAAAABnope").status());
        assertEquals(401, client.get(sim.keystoneUrl() + "/auth/tokens", "gAAAAABnope", "X-Subject-Token", alice).status());
        assertEquals(200, client.get(sim.novaUrl() + "/servers/detail?limit=1", alice).status());

        CLOCK.advance(Duration.ofMinutes(61));
        try {
            OpenStackClient.Answer expired = client.get(sim.novaUrl() + "/servers/detail?limit=1", alice);
            assertEquals(401, expired.status());
            assertEquals(401, expired.json().at("/error/code").asInt());
            assertTrue(expired.header("WWW-Authenticate").startsWith("Keystone uri="));
            assertEquals(401, client.get(sim.glanceUrl() + "/v2/images", alice).status());
            String fresh = client.token("admin", "secret", "demo");
            assertEquals(404, client.get(sim.keystoneUrl() + "/auth/tokens", fresh, "X-Subject-Token", alice).status());
        } finally {
            CLOCK.advance(Duration.ofMinutes(-61));
        }
    }
}
