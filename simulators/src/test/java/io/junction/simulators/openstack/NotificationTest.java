package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NotificationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static OpenStackSimulator sim;
    static OpenStackClient client;

    @BeforeAll
    static void start() {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user("admin", "secret", true).servers(12)
                .amqpAccount("nova-listener", "rabbit-pw"));
        client = new OpenStackClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    private static Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(sim.amqpPort());
        factory.setUsername(sim.amqpUser());
        factory.setPassword(sim.amqpPassword());
        return factory.newConnection();
    }

    @Test
    void powerActionChangesStateAndPublishesTheVersionedNotification() throws Exception {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            String queue = ch.queueDeclare("", false, true, true, null).getQueue();
            ch.queueBind(queue, "nova", "versioned_notifications.info");
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            ch.basicConsume(queue, true, (tag, delivery) -> received.add(delivery.getBody()), tag -> { });

            String token = client.token("admin", "secret", "demo");
            String id = sim.serverStates().entrySet().stream().filter(e -> e.getValue().equals("ACTIVE")).findFirst().orElseThrow().getKey();
            assertEquals(202, client.post(sim.novaUrl() + "/servers/" + id + "/action", token, "{\"os-stop\": null}").status());
            assertEquals("SHUTOFF", sim.serverState(id));

            JsonNode start = inner(received.poll(30, TimeUnit.SECONDS));
            JsonNode end = inner(received.poll(30, TimeUnit.SECONDS));
            assertEquals("instance.power_off.start", start.get("event_type").asText());
            assertEquals("instance.power_off.end", end.get("event_type").asText());
            assertEquals("INFO", end.get("priority").asText());
            assertTrue(end.get("publisher_id").asText().startsWith("nova-compute:compute-"));
            UUID.fromString(end.get("message_id").asText());
            assertNotNull(end.get("timestamp").asText());
            JsonNode payload = end.get("payload");
            assertEquals("InstanceActionPayload", payload.get("nova_object.name").asText());
            assertEquals("nova", payload.get("nova_object.namespace").asText());
            JsonNode data = payload.get("nova_object.data");
            assertEquals(id, data.get("uuid").asText());
            assertEquals("shutdown", data.get("power_state").asText());
            assertEquals("stopped", data.get("state").asText());
            assertEquals("running", start.at("/payload/nova_object.data/power_state").asText());
            assertEquals("powering-off", start.at("/payload/nova_object.data/task_state").asText());

            assertEquals(202, client.post(sim.novaUrl() + "/servers/" + id + "/action", token, "{\"os-start\": null}").status());
            inner(received.poll(30, TimeUnit.SECONDS));
            JsonNode on = inner(received.poll(30, TimeUnit.SECONDS));
            assertEquals("instance.power_on.end", on.get("event_type").asText());
            assertEquals("running", on.at("/payload/nova_object.data/power_state").asText());
        }
    }

    @Test
    void notificationsPublishedWhileTheConsumerIsDownWaitInItsQueue() throws Exception {
        String queue = "junction-test-" + UUID.randomUUID();
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueBind(queue, "nova", "versioned_notifications.*");
        }
        String id = sim.serverStates().keySet().iterator().next();
        sim.publishNotification("instance.shutdown.end", "ERROR", "nova-compute:compute-01", sim.instanceActionPayload(id));
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            GetResponse got = ch.basicGet(queue, true);
            assertNotNull(got);
            assertEquals("versioned_notifications.error", got.getEnvelope().getRoutingKey());
            JsonNode message = inner(got.getBody());
            assertEquals("instance.shutdown.end", message.get("event_type").asText());
            assertEquals("ERROR", message.get("priority").asText());
            assertEquals(id, message.at("/payload/nova_object.data/uuid").asText());
            ch.queueDelete(queue);
        }
    }

    private static JsonNode inner(byte[] body) throws Exception {
        assertNotNull(body, "no notification arrived");
        JsonNode envelope = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        assertEquals("2.0", envelope.get("oslo.version").asText());
        assertTrue(envelope.get("oslo.message").isTextual());
        return JSON.readTree(envelope.get("oslo.message").asText());
    }
}
