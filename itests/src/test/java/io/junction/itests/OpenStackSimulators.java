package io.junction.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.junction.simulators.openstack.AmqpNode;
import io.junction.simulators.openstack.OpenStackConfig;
import io.junction.simulators.openstack.OpenStackSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Two OpenStack simulators for {@link OpenStackProviderIT}: a full cloud (Keystone, Nova with 36
 * servers in pages of at most 10, Glance, and an AMQP broker with its own account), and one whose
 * catalog names no compute service. Like {@link MicrosoftSimulators}, they run in the test JVM
 * outside the framework, and the probe reaches them only through strings and {@code java.*}
 * objects put into {@code System.getProperties()}.
 *
 * <p>Next to the broker runs a recorder: a consumer of its own (its own exclusive queue, bound to
 * exchange {@code nova} with {@code #}) that notes the {@code message_id} and {@code event_type}
 * of every notification published, by a power action or by the test. That is the list the events
 * Junction stores are compared with. Two more brokers of the same cluster, a preferred and a
 * standby, share the broker's queues, for the failover between {@code amqp} connections.
 */
final class OpenStackSimulators {
    static final String PREFIX = "junction.itests.openstack.";
    static final String KEYSTONE_PORT = PREFIX + "keystone.port";
    static final String NOVA_PORT = PREFIX + "nova.port";
    static final String CA = PREFIX + "ca";
    static final String USER = PREFIX + "user";
    static final String PASSWORD = PREFIX + "password";
    static final String AMQP_PORT = PREFIX + "amqp.port";
    static final String AMQP_USER = PREFIX + "amqp.user";
    static final String AMQP_PASSWORD = PREFIX + "amqp.password";
    /** The simulator without compute in its catalog (and without a broker). */
    static final String BARE_KEYSTONE_PORT = PREFIX + "bare.keystone.port";
    static final String BARE_CA = PREFIX + "bare.ca";
    /** {@code Supplier<Map<String, String>>}: each server's id and Nova status, as the simulator has it now. */
    static final String SERVER_STATES = PREFIX + "serverStates";
    /** {@code Supplier<List<String>>}: the ids of the simulator's Glance images. */
    static final String IMAGE_IDS = PREFIX + "imageIds";
    /** {@code Supplier<List<String>>}: the {@code hypervisor_hostname} of each of the simulator's hypervisors. */
    static final String HYPERVISORS = PREFIX + "hypervisors";
    /** {@code Supplier<List<String>>}: every request the full simulator answered, as {@code service method path status}. */
    static final String REQUESTS = PREFIX + "requests";
    /** {@code Supplier<Map<String, String>>}: message_id → event_type of every notification published, in order. */
    static final String PUBLISHED = PREFIX + "published";
    /** {@code Consumer<String>}: publishes an {@code instance.update} notification about the server with this id. */
    static final String PUBLISH = PREFIX + "publish";
    /** {@code Function<String, Integer>}: the number of consumers of the named queue on the broker, -1 when there is no such queue. */
    static final String QUEUE_CONSUMERS = PREFIX + "queueConsumers";

    /** Two brokers of the full simulator's RabbitMQ cluster (see {@code AmqpNode}): the ports of the preferred and of the standby. */
    static final String BROKER_PREFERRED_PORT = PREFIX + "cluster.preferredPort";
    static final String BROKER_STANDBY_PORT = PREFIX + "cluster.standbyPort";
    /** {@code Runnable}: stops the preferred broker (its connections reset, new ones refused). */
    static final String BROKER_STOP_PREFERRED = PREFIX + "cluster.stopPreferred";
    /** {@code Runnable}: starts the preferred broker again on its port. */
    static final String BROKER_START_PREFERRED = PREFIX + "cluster.startPreferred";
    /** {@code Supplier<List<Long>>}: bytes each broker sent to its clients, {@code [preferred, standby]}. */
    static final String BROKER_BYTES = PREFIX + "cluster.bytesToClients";
    /** {@code Supplier<List<Integer>>}: connections each broker accepted, {@code [preferred, standby]}. */
    static final String BROKER_CONNECTIONS = PREFIX + "cluster.connectionsAccepted";

    static final int SERVERS = 36;
    static final int MAX_LIMIT = 10;

    private static OpenStackSimulator cloud;
    private static OpenStackSimulator bare;
    private static com.rabbitmq.client.Connection amqp;

    private OpenStackSimulators() {
    }

    /** Starts both simulators and the recorder once per JVM (Pax Exam may ask for the configuration more than once). */
    static synchronized void start(Path dir) throws Exception {
        if (cloud != null) {
            return;
        }
        Files.createDirectories(dir);
        String user = "admin";
        String password = "Os-Pa55-" + Long.toHexString(System.nanoTime());
        String amqpUser = "junction-bus";
        String amqpPassword = "Bus-Pa55-" + Long.toHexString(System.nanoTime() * 31);
        cloud = OpenStackSimulator.start(OpenStackConfig.create().user(user, password, true).project("demo")
                .caOut(dir.resolve("openstack-ca.pem")).servers(SERVERS).maxLimit(MAX_LIMIT).amqpAccount(amqpUser, amqpPassword));
        bare = OpenStackSimulator.start(OpenStackConfig.create().user(user, password, true).project("demo")
                .caOut(dir.resolve("openstack-bare-ca.pem")).withoutComputeInCatalog().withoutAmqp());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                amqp.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
            cloud.stop();
            bare.stop();
        }));

        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(cloud.amqpPort());
        factory.setUsername(amqpUser);
        factory.setPassword(amqpPassword);
        factory.setVirtualHost("/");
        amqp = factory.newConnection("itests-recorder");
        Map<String, String> published = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        Channel recorder = amqp.createChannel();
        recorder.exchangeDeclare("nova", "topic", false, false, null); // as the simulator declares it
        String queue = recorder.queueDeclare().getQueue();
        recorder.queueBind(queue, "nova", "#");
        recorder.basicConsume(queue, true, new DefaultConsumer(recorder) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
                JsonNode outer = json.readTree(new String(body, StandardCharsets.UTF_8));
                JsonNode message = outer.has("oslo.message") ? json.readTree(outer.get("oslo.message").asText()) : outer;
                synchronized (published) {
                    published.put(message.path("message_id").asText(), message.path("event_type").asText());
                }
            }
        });

        Supplier<Map<String, String>> publishedView = () -> {
            synchronized (published) {
                return new LinkedHashMap<>(published);
            }
        };
        Consumer<String> publish = serverId -> cloud.publishNotification("instance.update", "INFO", "nova-compute:itests",
                cloud.instanceActionPayload(serverId));
        Function<String, Integer> queueConsumers = name -> {
            try (Channel channel = amqp.createChannel()) {
                return channel.queueDeclarePassive(name).getConsumerCount();
            } catch (Exception e) {
                return -1; // no such queue: the passive declare closed the channel
            }
        };
        Supplier<Map<String, String>> serverStates = () -> Map.copyOf(cloud.serverStates());
        Supplier<List<String>> imageIds = cloud::imageIds;
        Supplier<List<String>> hypervisors = cloud::hypervisorHostnames;
        Supplier<List<String>> requests = () -> cloud.requests().stream()
                .map(r -> r.service() + " " + r.method() + " " + r.path() + " " + r.status()).toList();

        AmqpNode preferred = cloud.amqpNode();
        AmqpNode standby = cloud.amqpNode();
        Supplier<List<Long>> brokerBytes = () -> List.of(preferred.bytesToClients(), standby.bytesToClients());
        Supplier<List<Integer>> brokerConnections = () -> List.of(preferred.connectionsAccepted(), standby.connectionsAccepted());
        Runnable stopPreferred = preferred::stop;
        Runnable startPreferred = preferred::start;
        System.setProperty(BROKER_PREFERRED_PORT, String.valueOf(preferred.port()));
        System.setProperty(BROKER_STANDBY_PORT, String.valueOf(standby.port()));
        System.getProperties().put(BROKER_STOP_PREFERRED, stopPreferred);
        System.getProperties().put(BROKER_START_PREFERRED, startPreferred);
        System.getProperties().put(BROKER_BYTES, brokerBytes);
        System.getProperties().put(BROKER_CONNECTIONS, brokerConnections);

        System.setProperty(KEYSTONE_PORT, String.valueOf(cloud.keystonePort()));
        System.setProperty(NOVA_PORT, String.valueOf(java.net.URI.create(cloud.novaUrl()).getPort()));
        System.setProperty(CA, cloud.caPem().toString());
        System.setProperty(USER, user);
        System.setProperty(PASSWORD, password);
        System.setProperty(AMQP_PORT, String.valueOf(cloud.amqpPort()));
        System.setProperty(AMQP_USER, amqpUser);
        System.setProperty(AMQP_PASSWORD, amqpPassword);
        System.setProperty(BARE_KEYSTONE_PORT, String.valueOf(bare.keystonePort()));
        System.setProperty(BARE_CA, bare.caPem().toString());
        System.getProperties().put(SERVER_STATES, serverStates);
        System.getProperties().put(IMAGE_IDS, imageIds);
        System.getProperties().put(HYPERVISORS, hypervisors);
        System.getProperties().put(REQUESTS, requests);
        System.getProperties().put(PUBLISHED, publishedView);
        System.getProperties().put(PUBLISH, publish);
        System.getProperties().put(QUEUE_CONSUMERS, queueConsumers);
    }
}
