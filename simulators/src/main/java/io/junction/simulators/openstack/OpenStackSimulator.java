package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.junction.simulators.winrm.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A loopback OpenStack: Keystone v3, Nova v2.1 and Glance v2 over HTTPS, each on its own port,
 * and an in-process AMQP 0-9-1 broker that carries Nova's versioned notifications. Start one with
 * {@link #start(OpenStackConfig)}; {@link #stop()} ends it.
 */
public final class OpenStackSimulator implements AutoCloseable {
    static {
        // without TCP_NODELAY each small reply waits out the peer's delayed ACK (~40 ms on loopback)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final OpenStackConfig config;
    private final TlsIdentity identity;
    private final ExecutorService executor;
    private final List<HttpsServer> servers = new ArrayList<>();
    private final List<LoggedRequest> requests = new CopyOnWriteArrayList<>();
    /** Requests being handled now, so that {@link #requests()} includes the ones already answered. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Keystone keystone;
    private final Inventory inventory;
    private final RecordedResponses recorded;
    private AmqpBroker broker;
    private final List<AmqpNode> amqpNodes = new CopyOnWriteArrayList<>();
    private Notifications notifications;
    private String keystoneRoot;
    private String novaRoot;
    private String glanceRoot;
    private String placementRoot;

    private OpenStackSimulator(OpenStackConfig config) throws IOException {
        if (config.users().isEmpty()) {
            throw new IllegalArgumentException("the simulator needs at least one user");
        }
        this.config = config;
        this.identity = TlsIdentity.create();
        if (config.caOut() != null) {
            identity.writeCaPem(config.caOut());
        }
        String project = config.projects().get(0);
        inventory = new Inventory(config.seed(), config.servers(), Keystone.projectId(project),
                Keystone.userId(config.users().get(0).name()));
        keystone = new Keystone(config, this);
        recorded = new RecordedResponses(config.recorded(), this);
        Nova nova = new Nova(config, this, inventory);
        Glance glance = new Glance(config, this, inventory);
        Placement placement = new Placement(this, inventory);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "openstack-simulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            if (config.amqp()) {
                broker = AmqpBroker.start(config.amqpPort(), config.amqpUser(), config.amqpPassword());
                notifications = new Notifications(broker.port(), config.amqpUser(), config.amqpPassword());
            }
            SSLContext tls;
            try {
                tls = identity.serverContext();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot set up TLS for the OpenStack simulator: " + e.getMessage(), e);
            }
            keystoneRoot = "https://127.0.0.1:" + listen(tls, config.port(), keystone::handle);
            novaRoot = "https://127.0.0.1:" + listen(tls, 0, nova::handle);
            glanceRoot = "https://127.0.0.1:" + listen(tls, 0, glance::handle);
            placementRoot = "https://127.0.0.1:" + listen(tls, 0, placement::handle);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private int listen(SSLContext tls, int port, Handler handler) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        HttpHandler guarded = exchange -> {
            inFlight.incrementAndGet();
            try {
                // The whole request is read before it is answered, as OpenStack's web servers do: an
                // answer sent early (a refused Content-Type, a missing token) would otherwise leave the
                // rest of the request on the kept-alive connection.
                exchange.setStreams(new ByteArrayInputStream(Http.readBody(exchange)), null);
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                try {
                    Http.send(exchange, 500, Http.novaFault(500, "Unexpected API Error. " + e));
                } catch (IOException | RuntimeException ignored) {
                    // the answer may already have started
                }
                exchange.close();
            } finally {
                inFlight.decrementAndGet();
            }
        };
        server.createContext("/", guarded);
        server.setExecutor(executor);
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    /** Starts Keystone, Nova, Glance and the broker on 127.0.0.1 as configured. */
    public static OpenStackSimulator start(OpenStackConfig config) {
        try {
            return new OpenStackSimulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the OpenStack simulator: " + e.getMessage(), e);
        }
    }

    /** {@code https://127.0.0.1:<port>/v3}: what a client is configured with as auth URL. */
    public String keystoneUrl() {
        return keystoneRoot + "/v3";
    }

    public int keystonePort() {
        return Integer.parseInt(keystoneRoot.substring(keystoneRoot.lastIndexOf(':') + 1));
    }

    /** {@code https://127.0.0.1:<port>/v2.1}, Nova's endpoint in the catalog. */
    public String novaUrl() {
        return novaRoot + "/v2.1";
    }

    String novaRoot() {
        return novaRoot;
    }

    /** {@code https://127.0.0.1:<port>}, Glance's endpoint in the catalog (the API is under {@code /v2}). */
    public String glanceUrl() {
        return glanceRoot;
    }

    /** {@code https://127.0.0.1:<port>}, Placement's endpoint in the catalog (resource providers at its root). */
    public String placementUrl() {
        return placementRoot;
    }

    /** Where the CA certificate was written, or null when the config named no file. */
    public Path caPem() {
        return config.caOut();
    }

    public TlsIdentity identity() {
        return identity;
    }

    /** An SSL context trusting only the simulator's CA, for test clients. */
    public SSLContext clientTls() {
        return identity.clientContext();
    }

    /** The broker's AMQP 0-9-1 port on 127.0.0.1 (plain TCP, SASL PLAIN); -1 without a broker. */
    public int amqpPort() {
        return broker == null ? -1 : broker.port();
    }

    /**
     * Starts another broker of the cluster on a free port of 127.0.0.1: an address of its own in
     * front of the same queues (see {@link AmqpNode}), to stop and start again while clients use it.
     * It stops with the simulator.
     */
    public AmqpNode amqpNode() {
        if (broker == null) {
            throw new IllegalStateException("this simulator runs without an AMQP broker");
        }
        AmqpNode node = new AmqpNode(broker.port()).start();
        amqpNodes.add(node);
        return node;
    }

    public String amqpUser() {
        return config.amqpUser();
    }

    public String amqpPassword() {
        return config.amqpPassword();
    }

    /** Keystone's id of a user (32 hex digits). */
    public String userId(String name) {
        return Keystone.userId(name);
    }

    /** Keystone's id of a project (32 hex digits). */
    public String projectId(String name) {
        return Keystone.projectId(name);
    }

    /** Each server's id and Nova status (ACTIVE, SHUTOFF, PAUSED, SUSPENDED), newest first. */
    public Map<String, String> serverStates() {
        Map<String, String> out = new LinkedHashMap<>();
        synchronized (inventory) {
            for (Inventory.Server s : inventory.servers) {
                out.put(s.id, s.state.status);
            }
        }
        return out;
    }

    /** A server's Nova status, or null when there is no such server. */
    public String serverState(String id) {
        synchronized (inventory) {
            Inventory.Server s = inventory.server(id);
            return s == null ? null : s.state.status;
        }
    }

    /**
     * The ids of the Glance images, in the order Glance lists them: what a client's image list
     * should come to. An immutable copy, read under the inventory's lock like every other read.
     */
    public List<String> imageIds() {
        synchronized (inventory) {
            return inventory.images.stream().map(Inventory.Image::id).toList();
        }
    }

    /**
     * The {@code hypervisor_hostname} of each hypervisor, in Nova's order: the names a client finds
     * in {@code os-hypervisors} and in each server's {@code OS-EXT-SRV-ATTR:hypervisor_hostname}.
     * An immutable copy.
     */
    public List<String> hypervisorHostnames() {
        synchronized (inventory) {
            return inventory.hypervisors.stream().map(Inventory.Hypervisor::hostname).toList();
        }
    }

    /**
     * Every request answered, oldest first. A request is logged just after its answer is sent, so
     * this first waits (briefly) for requests still being handled: a client that has its answer
     * then finds its request in the log.
     */
    public List<LoggedRequest> requests() {
        awaitAnswered();
        return List.copyOf(requests);
    }

    /**
     * Forgets the requests answered so far. Waits (briefly) for requests still being handled
     * first, so that a request answered before this call does not appear in the log after it.
     */
    public void clearRequests() {
        awaitAnswered();
        requests.clear();
    }

    private void awaitAnswered() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Publishes a versioned notification now (whether or not anyone consumes): {@code payload} is
     * the {@code payload} object (with its {@code nova_object.*} keys), wrapped as Nova does.
     */
    public void publishNotification(String eventType, String priority, String publisherId, ObjectNode payload) {
        requireBroker().publish(eventType, priority, publisherId, payload, now());
    }

    /** Publishes any body to exchange {@code nova} with any routing key. */
    public void publishRaw(String routingKey, String body) {
        requireBroker().publishRaw(routingKey, body);
    }

    /** The {@code InstanceActionPayload} Nova would send for a server as it is now. */
    public ObjectNode instanceActionPayload(String serverId) {
        synchronized (inventory) {
            Inventory.Server s = inventory.server(serverId);
            if (s == null) {
                throw new IllegalArgumentException("no server " + serverId);
            }
            return Notifications.instanceActionPayload(s, s.state, null, null);
        }
    }

    private Notifications requireBroker() {
        if (notifications == null) {
            throw new IllegalStateException("this simulator runs without an AMQP broker");
        }
        return notifications;
    }

    void notifyAction(Inventory.Server server, String event, Inventory.State before, Keystone.Token token) {
        if (notifications == null) {
            return;
        }
        ObjectNode start;
        ObjectNode end;
        synchronized (inventory) {
            start = Notifications.instanceActionPayload(server, before, taskState(event), token);
            end = Notifications.instanceActionPayload(server, server.state, null, token);
        }
        String publisher = "nova-compute:" + server.hypervisor.host();
        notifications.publish(event + ".start", "INFO", publisher, start, now());
        notifications.publish(event + ".end", "INFO", publisher, end, now());
    }

    private static String taskState(String event) {
        return switch (event) {
            case "instance.power_off" -> "powering-off";
            case "instance.power_on" -> "powering-on";
            case "instance.reboot" -> "reboot_started";
            case "instance.suspend" -> "suspending";
            case "instance.resume" -> "resuming";
            default -> null;
        };
    }

    Keystone keystone() {
        return keystone;
    }

    RecordedResponses recorded() {
        return recorded;
    }

    Instant now() {
        return config.clock().instant();
    }

    void log(String service, HttpExchange exchange, String token, String microversion, int status) {
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(new LoggedRequest(service, exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query), token, microversion, status));
    }

    public void stop() {
        servers.forEach(s -> s.stop(0));
        if (executor != null) {
            executor.shutdownNow();
        }
        if (notifications != null) {
            notifications.close();
        }
        amqpNodes.forEach(AmqpNode::stop);
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
