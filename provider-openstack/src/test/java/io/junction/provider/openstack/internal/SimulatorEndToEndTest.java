package io.junction.provider.openstack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.AuthenticationException;
import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.Ems;
import io.junction.api.ProviderException;
import io.junction.api.Secret;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.DiscoveryCapability;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.keystone.KeystoneService;
import io.junction.provider.openstack.internal.notifications.NotificationService;
import io.junction.provider.openstack.internal.nova.NovaService;
import io.junction.simulators.openstack.OpenStackConfig;
import io.junction.simulators.openstack.OpenStackSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three services against the OpenStack simulator of the simulators module (Keystone, Nova, Glance over HTTPS; AMQP). */
class SimulatorEndToEndTest {
    static final String ADMIN = "admin";
    static final String PASSWORD = "S3cret!pässword";
    static final String VIEWER = "viewer";
    static final Ems EMS = new Ems(1, "Cloud One", "openstack", Instant.now());

    static OpenStackSimulator sim;
    static String ca;

    @BeforeAll
    static void start() {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user(ADMIN, PASSWORD, true).user(VIEWER, PASSWORD, false)
                .project("demo").servers(36).maxLimit(10));
        ca = sim.identity().caPem();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    static Connection identity() {
        int port = java.net.URI.create(sim.keystoneUrl()).getPort();
        return new Connection(1, 1, "identity", "127.0.0.1", port, "https", "/v3?project=demo", true, ca, true, false);
    }

    static ServiceContext context(Connection c, String user, String password) {
        return context(c, List.of(c), user, password);
    }

    /** A context for a handle on {@code c} of an EMS with these connections. */
    static ServiceContext context(Connection c, List<Connection> emsConnections, String user, String password) {
        Credential credential = new Credential(c.id(), 1, c.id(), CredentialKind.PASSWORD, user, null, null, null, Instant.now());
        return new ServiceContext(EMS, c, emsConnections, credential, () -> Secret.of(password.toCharArray()), Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** A context for Nova on the compute connection of an EMS that also has the identity connection. */
    static ServiceContext novaContext(Connection compute, Connection identity, String user, String password) {
        return context(compute, List.of(identity, compute), user, password);
    }

    static Connection compute() {
        try (ServiceHandle keystone = new KeystoneService().open(context(identity(), ADMIN, PASSWORD))) {
            ConnectionSpec spec = keystone.capability(DiscoveryCapability.class).orElseThrow().discover().get(0);
            return new Connection(2, 1, spec.role(), spec.host(), spec.port(), spec.scheme(), spec.path(), spec.verifyTls(),
                    spec.caCertificate(), true, true);
        }
    }

    @Test
    void keystoneAuthenticatesAndDiscoversCompute() {
        try (ServiceHandle keystone = new KeystoneService().open(context(identity(), ADMIN, PASSWORD))) {
            keystone.verify();
            List<ConnectionSpec> found = keystone.capability(DiscoveryCapability.class).orElseThrow().discover();
            assertEquals(1, found.size());
            ConnectionSpec c = found.get(0);
            assertEquals("compute", c.role());
            assertEquals(java.net.URI.create(sim.novaUrl()).getPort(), c.port());
            assertEquals("/v2.1", c.path());
            assertTrue(c.discovered());
            assertEquals(ca, c.caCertificate());
        }
        assertTrue(sim.requests().stream().anyMatch(r -> r.toString().contains("/v3/auth/tokens")));
    }

    @Test
    void wrongPasswordIsRefused() {
        try (ServiceHandle keystone = new KeystoneService().open(context(identity(), ADMIN, "wrong"))) {
            assertThrows(AuthenticationException.class, keystone::verify);
        }
    }

    @Test
    void untrustedCertificateIsATlsError() {
        Connection c = identity();
        Connection noCa = new Connection(c.id(), 1, "identity", c.host(), c.port(), "https", c.path(), true, null, true, false);
        try (ServiceHandle keystone = new KeystoneService().open(context(noCa, ADMIN, PASSWORD))) {
            assertThrows(io.junction.api.TlsTrustException.class, keystone::verify);
        }
    }

    @Test
    void verificationOffTrustsAnyCertificate() {
        Connection c = identity();
        Connection off = new Connection(c.id(), 1, "identity", "localhost", c.port(), "https", c.path(), false, null, true, false);
        try (ServiceHandle keystone = new KeystoneService().open(context(off, ADMIN, PASSWORD))) {
            keystone.verify();
        }
    }

    @Test
    void expiredTokenIsReplacedAfterA401() throws Exception {
        MovingClock clock = new MovingClock();
        try (OpenStackSimulator expiring = OpenStackSimulator.start(OpenStackConfig.create().user(ADMIN, PASSWORD, true)
                .project("demo").servers(3).clock(clock).tokenLifetime(Duration.ofHours(1)))) {
            int keystonePort = java.net.URI.create(expiring.keystoneUrl()).getPort();
            Connection identity = new Connection(1, 1, "identity", "127.0.0.1", keystonePort, "https", "/v3?project=demo", true,
                    expiring.identity().caPem(), true, false);
            java.net.URI novaUrl = java.net.URI.create(expiring.novaUrl());
            Connection compute = new Connection(2, 1, "compute", "127.0.0.1", novaUrl.getPort(), "https", "/v2.1", true,
                    expiring.identity().caPem(), true, true);
            try (ServiceHandle handle = new NovaService().open(novaContext(compute, identity, ADMIN, PASSWORD))) {
                handle.verify();
                long before = expiring.requests().stream().filter(r -> r.toString().contains("/auth/tokens")).count();
                clock.advance(Duration.ofHours(2)); // the simulator's clock only: Junction still thinks its token fresh
                CollectingSink sink = new CollectingSink();
                handle.capability(InventoryCapability.class).orElseThrow().collect(sink);
                assertEquals(3, sink.vms.stream().filter(v -> !v.template()).count());
                long after = expiring.requests().stream().filter(r -> r.toString().contains("/auth/tokens")).count();
                assertEquals(before + 1, after, "one new token after the 401");
            }
        }
    }

    static final class MovingClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void inventoryReadsEveryPageAndPowerChangesTheServer() throws Exception {
        try (ServiceHandle handle = new NovaService().open(novaContext(compute(), identity(), ADMIN, PASSWORD))) {
            handle.verify();
            CollectingSink sink = new CollectingSink();
            handle.capability(InventoryCapability.class).orElseThrow().collect(sink);
            List<VmItem> vms = sink.vms.stream().filter(v -> !v.template()).toList();
            assertEquals(36, vms.size(), "36 servers over pages of 10");
            assertEquals(vms.size(), vms.stream().map(VmItem::emsRef).distinct().count());
            assertTrue(sink.vms.stream().anyMatch(VmItem::template), "Glance images as templates");
            assertTrue(!sink.hosts.isEmpty(), "admin sees hypervisors");
            assertTrue(!sink.clusters.isEmpty());
            assertTrue(vms.stream().allMatch(v -> v.cpuCount() > 0 && v.memoryMb() > 0), "flavors embedded");
            long pages = sim.requests().stream().filter(r -> r.toString().contains("/servers/detail")).count();
            assertTrue(pages >= 4, "followed the pages: " + pages);

            VmItem on = vms.stream().filter(v -> v.powerState() == PowerState.ON).findFirst().orElseThrow();
            PowerCapability power = handle.capability(PowerCapability.class).orElseThrow();
            PowerResult result = power.perform(on.emsRef(), PowerAction.STOP);
            assertNotNull(result);
            assertEquals("SHUTOFF", sim.serverState(on.emsRef()));
            ProviderException again = assertThrows(ProviderException.class, () -> power.perform(on.emsRef(), PowerAction.STOP));
            assertTrue(again.getMessage().startsWith("VM is already stopped"), again.getMessage());
            power.perform(on.emsRef(), PowerAction.START);
            assertEquals("ACTIVE", sim.serverState(on.emsRef()));
        }
    }

    @Test
    void accountWithoutHypervisorRightsGetsNoHosts() throws Exception {
        try (ServiceHandle handle = new NovaService().open(novaContext(compute(), identity(), VIEWER, PASSWORD))) {
            CollectingSink sink = new CollectingSink();
            handle.capability(InventoryCapability.class).orElseThrow().collect(sink);
            assertTrue(sink.hosts.isEmpty());
            assertTrue(!sink.vms.isEmpty());
        }
    }

    static final class CollectingEvents implements io.junction.api.service.EventSink {
        final List<EmsEvent> events = new CopyOnWriteArrayList<>();
        final List<io.junction.api.UnreachableException> unreachable = new CopyOnWriteArrayList<>();

        @Override
        public void unreachable(io.junction.api.UnreachableException failure) {
            unreachable.add(failure);
        }

        @Override
        public void deliver(List<EmsEvent> batch, String cursorAfter) {
            events.addAll(batch);
        }

        EmsEvent await(String type) throws InterruptedException {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until) {
                for (EmsEvent e : events) {
                    if (e.type().equals(type)) {
                        return e;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no " + type + " event; got " + events);
        }
    }

    @Test
    void notificationsArriveAndWaitInTheQueueWhileNobodyConsumes() throws Exception {
        Connection amqp = new Connection(3, 1, "amqp", "127.0.0.1", sim.amqpPort(), "amqp", "", true, null, true, false);
        String server = sim.serverStates().keySet().iterator().next();
        try (ServiceHandle handle = new NotificationService().open(context(amqp, sim.amqpUser(), sim.amqpPassword()))) {
            handle.verify();
            EventCapability events = handle.capability(EventCapability.class).orElseThrow();
            CollectingEvents first = new CollectingEvents();
            try (EventSubscription s = events.subscribe(null, first)) {
                sim.publishNotification("instance.power_off.end", "INFO", "nova-compute:compute1", sim.instanceActionPayload(server));
                EmsEvent e = first.await("instance.power_off.end");
                assertEquals("nova", e.source());
                assertEquals(server, e.subjectRef());
                assertEquals("info", e.severity());
            }
            // published while no consumer runs: it waits in Junction's durable queue
            sim.publishNotification("instance.power_on.end", "INFO", "nova-compute:compute1", sim.instanceActionPayload(server));
            CollectingEvents second = new CollectingEvents();
            try (EventSubscription s = events.subscribe(null, second)) {
                second.await("instance.power_on.end");
                Thread.sleep(300);
                assertTrue(second.events.stream().noneMatch(e -> e.type().equals("instance.power_off.end")),
                        "the first notification was acknowledged: " + second.events);
            }
        }
    }

    /**
     * Two brokers of one cluster: when the one a subscription reads from goes away, the subscription
     * says so (the platform then subscribes through the other) and stays active while the client
     * reconnects; closed meanwhile, it does not come back with the connection, so everything
     * published afterwards goes to the subscription through the other broker.
     */
    @Test
    void aBrokerThatGoesAwayIsReportedUnreachableAndItsClosedConsumerDoesNotComeBack() throws Exception {
        io.junction.simulators.openstack.AmqpNode a = sim.amqpNode();
        io.junction.simulators.openstack.AmqpNode b = sim.amqpNode();
        Ems cluster = new Ems(7, "cluster", "openstack", Instant.now());
        Connection onA = new Connection(3, 1, "amqp", "127.0.0.1", a.port(), "amqp", "", true, null, true, false);
        Connection onB = new Connection(4, 1, "amqp", "127.0.0.1", b.port(), "amqp", "", true, null, true, false);
        String server = sim.serverStates().keySet().iterator().next();
        try (ServiceHandle handleA = new NotificationService().open(context(cluster, onA));
             ServiceHandle handleB = new NotificationService().open(context(cluster, onB))) {
            EventCapability eventsA = handleA.capability(EventCapability.class).orElseThrow();
            CollectingEvents throughA = new CollectingEvents();
            EventSubscription subscriptionA = eventsA.subscribe(null, throughA);
            sim.publishNotification("instance.pause.end", "INFO", "nova-compute:compute1", sim.instanceActionPayload(server));
            throughA.await("instance.pause.end");

            a.stop();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (throughA.unreachable.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(1, throughA.unreachable.size(), "told once that the broker went away");
            String message = throughA.unreachable.get(0).getMessage();
            assertTrue(message.startsWith("the AMQP broker at 127.0.0.1:" + a.port() + " went away: "), message);
            assertTrue(subscriptionA.active(), "still active: the client reconnects to the broker");
            assertThrows(io.junction.api.UnreachableException.class, () -> eventsA.subscribe(null, new CollectingEvents()));

            subscriptionA.close();
            assertTrue(!subscriptionA.active());
            CollectingEvents throughB = new CollectingEvents();
            try (EventSubscription subscriptionB = handleB.capability(EventCapability.class).orElseThrow().subscribe(null, throughB)) {
                a.start();
                // The client reconnects to a within its recovery interval.
                until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    try {
                        handleA.verify();
                        break;
                    } catch (io.junction.api.JunctionException e) {
                        if (System.nanoTime() > until) {
                            throw e;
                        }
                        Thread.sleep(100);
                    }
                }
                for (int i = 0; i < 6; i++) {
                    sim.publishNotification("instance.update", "INFO", "nova-compute:compute1", sim.instanceActionPayload(server));
                }
                until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (throughB.events.stream().filter(e -> e.type().equals("instance.update")).count() < 6 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals(6, throughB.events.stream().filter(e -> e.type().equals("instance.update")).count(),
                        "every one through b, none taken by a consumer brought back on a");
                assertTrue(subscriptionB.active());
            }
        }
    }

    private static ServiceContext context(Ems ems, Connection c) {
        Credential credential = new Credential(c.id(), ems.id(), c.id(), CredentialKind.PASSWORD, sim.amqpUser(), null, null, null,
                Instant.now());
        return new ServiceContext(ems, c, List.of(c), credential, () -> Secret.of(sim.amqpPassword().toCharArray()), Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void wrongBrokerPasswordIsRefused() {
        Connection amqp = new Connection(3, 1, "amqp", "127.0.0.1", sim.amqpPort(), "amqp", "", true, null, true, false);
        assertThrows(AuthenticationException.class,
                () -> new NotificationService().open(context(amqp, sim.amqpUser(), "wrong")).close());
    }
}
