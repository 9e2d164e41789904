package io.junction.simulators.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        return connect(sim.amqpPort());
    }

    private static Connection connect(int port) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(false);
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

    @Test
    void twoBrokersOfTheClusterShareTheQueueAndAStoppedOneResetsItsConnectionsAndRefusesNewOnes() throws Exception {
        String queue = "junction-cluster-" + UUID.randomUUID();
        AmqpNode a = sim.amqpNode();
        AmqpNode b = sim.amqpNode();
        assertTrue(a.port() != b.port() && a.port() != sim.amqpPort());
        try (Connection c = connect(b.port()); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueBind(queue, "nova", "versioned_notifications.*");
        }
        String id = sim.serverStates().keySet().iterator().next();
        sim.publishNotification("instance.update", "INFO", "nova-compute:compute-01", sim.instanceActionPayload(id));
        sim.publishNotification("instance.shutdown.end", "INFO", "nova-compute:compute-01", sim.instanceActionPayload(id));

        // Through a: the first taken and not acknowledged when a goes away.
        Connection throughA = connect(a.port());
        BlockingQueue<Object> shutdown = new LinkedBlockingQueue<>();
        throughA.addShutdownListener(shutdown::add);
        GetResponse unacked = throughA.createChannel().basicGet(queue, false);
        assertEquals("instance.update", inner(unacked.getBody()).get("event_type").asText());
        long toClients = a.bytesToClients();
        assertTrue(toClients > 1000, "the delivery went through a: " + toClients);
        a.stop();
        com.rabbitmq.client.ShutdownSignalException signal = (com.rabbitmq.client.ShutdownSignalException) shutdown.poll(30, TimeUnit.SECONDS);
        assertNotNull(signal, "the connection through a ended");
        assertTrue(!signal.isInitiatedByApplication() && signal.getReason() == null, "reset, not closed by the broker: " + signal);
        assertThrows(java.net.ConnectException.class, () -> connect(a.port()));

        // Through b: both, the first again; acknowledged there, gone from every node.
        try (Connection c = connect(b.port()); Channel ch = c.createChannel()) {
            GetResponse again = ch.basicGet(queue, false);
            assertNotNull(again, "what was not acknowledged through a is delivered through b");
            assertEquals("instance.update", inner(again.getBody()).get("event_type").asText());
            assertTrue(again.getEnvelope().isRedeliver());
            ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
            GetResponse second = ch.basicGet(queue, true);
            assertEquals("instance.shutdown.end", inner(second.getBody()).get("event_type").asText());
        }
        a.start();
        try (Connection c = connect(a.port()); Channel ch = c.createChannel()) {
            assertEquals(0, ch.queueDeclarePassive(queue).getMessageCount(), "acknowledged through b: gone through a too");
            ch.queueDelete(queue);
        }
        assertEquals(2, a.connectionsAccepted(), "the refused one was never accepted");
    }

    private static JsonNode inner(byte[] body) throws Exception {
        assertNotNull(body, "no notification arrived");
        JsonNode envelope = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        assertEquals("2.0", envelope.get("oslo.version").asText());
        assertTrue(envelope.get("oslo.message").isTextual());
        return JSON.readTree(envelope.get("oslo.message").asText());
    }
}
