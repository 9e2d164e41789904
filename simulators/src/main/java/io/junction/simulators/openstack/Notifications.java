package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Publishes Nova's versioned notifications the way oslo.messaging's rabbit driver does: topic
 * exchange {@code nova} (not durable, not auto-deleted), routing key
 * {@code versioned_notifications.<priority>}, body {@code {"oslo.version": "2.0", "oslo.message": "<JSON>"}}.
 */
final class Notifications implements AutoCloseable {
    static final String EXCHANGE = "nova";
    private static final DateTimeFormatter OSLO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private final Connection connection;
    private final Channel channel;

    Notifications(int port, String user, String password) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(port);
            factory.setUsername(user);
            factory.setPassword(password);
            factory.setAutomaticRecoveryEnabled(false);
            connection = factory.newConnection("openstack-simulator-nova");
            channel = connection.createChannel();
            channel.exchangeDeclare(EXCHANGE, "topic", false, false, null);
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to the AMQP broker: " + e.getMessage(), e);
        }
    }

    /** Publishes a body as is and waits until the broker has taken it. */
    synchronized void publishRaw(String routingKey, String body) {
        try {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .contentEncoding("utf-8").deliveryMode(2).priority(0).build();
            channel.basicPublish(EXCHANGE, routingKey, props, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());
        } catch (IOException | InterruptedException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot publish a notification: " + e.getMessage(), e);
        }
    }

    /** Wraps an inner message in the oslo envelope and publishes it to {@code versioned_notifications.<priority>}. */
    void publish(String eventType, String priority, String publisherId, ObjectNode payload, Instant when) {
        ObjectNode message = Http.object();
        message.put("message_id", UUID.randomUUID().toString());
        message.put("publisher_id", publisherId);
        message.put("event_type", eventType);
        message.put("priority", priority.toUpperCase());
        message.set("payload", payload);
        message.put("timestamp", OSLO_TIME.format(when));
        ObjectNode envelope = Http.object();
        envelope.put("oslo.version", "2.0");
        envelope.put("oslo.message", message.toString());
        publishRaw("versioned_notifications." + priority.toLowerCase(), envelope.toString());
    }

    /** The {@code InstanceActionPayload} of a server as it is now. */
    static ObjectNode instanceActionPayload(Inventory.Server s, Inventory.State state, String taskState, Keystone.Token token) {
        ObjectNode payload = Http.object();
        payload.put("nova_object.name", "InstanceActionPayload");
        payload.put("nova_object.namespace", "nova");
        payload.put("nova_object.version", "1.8");
        ObjectNode data = payload.putObject("nova_object.data");
        data.put("uuid", s.id).put("user_id", s.userId).put("tenant_id", s.tenantId).put("reservation_id", "r-" + s.id.substring(0, 8))
                .put("display_name", s.name).putNull("display_description");
        data.put("host_name", s.name).put("host", s.hypervisor.host()).put("node", s.hypervisor.hostname()).putNull("os_type")
                .put("architecture", "x86_64").put("availability_zone", s.hypervisor.zone());
        ObjectNode flavor = data.putObject("flavor");
        flavor.put("nova_object.name", "FlavorPayload").put("nova_object.namespace", "nova").put("nova_object.version", "1.4");
        flavor.putObject("nova_object.data").put("flavorid", s.flavor.id()).put("name", s.flavor.name())
                .put("memory_mb", s.flavor.ram()).put("vcpus", s.flavor.vcpus()).put("root_gb", s.flavor.disk())
                .put("ephemeral_gb", 0).put("swap", 0).put("disabled", false).put("is_public", true).put("rxtx_factor", 1.0)
                .putNull("description").putNull("projects").putObject("extra_specs");
        data.put("image_uuid", s.image.id()).putNull("key_name").put("kernel_id", "").put("ramdisk_id", "");
        data.put("created_at", s.created.toString()).put("launched_at", s.created.plusSeconds(20).toString())
                .putNull("terminated_at").putNull("deleted_at").put("updated_at", s.updated.toString());
        data.put("state", state.vmState).put("power_state", state.powerName);
        if (taskState == null) {
            data.putNull("task_state");
        } else {
            data.put("task_state", taskState);
        }
        data.put("progress", 0);
        ArrayNode ips = data.putArray("ip_addresses");
        ObjectNode ip = ips.addObject();
        ip.put("nova_object.name", "IpPayload").put("nova_object.namespace", "nova").put("nova_object.version", "1.0");
        ip.putObject("nova_object.data").put("label", "private").put("mac", s.mac).put("meta", (String) null)
                .put("port_uuid", Inventory.uuid(0, "port", s.index)).put("version", 4).put("address", s.ip).put("device_name", "tap" + s.id.substring(0, 11));
        data.putArray("block_devices");
        data.putObject("metadata");
        data.put("locked", false).putNull("locked_reason").put("auto_disk_config", "MANUAL");
        data.put("action_initiator_user", token == null ? s.userId : token.userId());
        data.put("action_initiator_project", token == null || token.projectId() == null ? s.tenantId : token.projectId());
        data.put("request_id", "req-" + UUID.randomUUID());
        data.putNull("fault");
        return payload;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            // the broker may already be gone
        }
    }
}
