package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.junction.api.Connection;
import io.junction.api.Ems;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.store.StoredEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The OpenStack provider of the distribution against the OpenStack simulator: an EMS entered with
 * only its identity (Keystone) and amqp (the broker) connections discovers its compute (Nova)
 * connection from the catalog; inventory (servers over several pages, hypervisors, images) and
 * power go through the discovered connection with the identity account; Nova's notifications
 * become events once each, also across an update of the provider bundle; a wrong password is
 * named; a catalog without compute leaves inventory without a connection, and says so.
 *
 * <p>The simulators run in this JVM outside the framework; the test methods (inside it) reach
 * them only through JDK objects in the system properties (see {@link OpenStackSimulators}). This
 * class uses only Junction's API packages, never the provider's.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OpenStackProviderIT {
    private static final String HOME = "openstack-provider";
    private static final String EMS = "os";
    private static final String BARE_EMS = "os-bare";
    private static final String QUEUE = "junction." + EMS + ".notifications";
    private static final String PROVIDER_BSN = "io.junction.provider.openstack";
    /** How long something asynchronous may take before the test gives up: generous, never a speed assertion. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    private CommandProcessor processor;

    @Inject
    private EmsStore store;

    @Inject
    private InventoryStore inventory;

    @Inject
    private EventStore events;

    @Inject
    private CapabilityRouter router;

    @Inject
    private BundleContext bundleContext;

    private GogoShell shell;

    /** Runs outside the framework: starts the simulators there. */
    @Configuration
    public Option[] config() throws Exception {
        OpenStackSimulators.start(JunctionDistribution.work().resolve("openstack-simulators"));
        return JunctionDistribution.options(JunctionDistribution.freshHome(HOME));
    }

    /** The EMS "os" as an operator enters it: identity (Keystone) and amqp (the broker), each with its own account. */
    @Before
    public void openStackEms() throws Exception {
        shell = new GogoShell(processor);
        if (store.findEmsByName(EMS).isEmpty()) {
            shell.exec("ems:add openstack " + EMS);
            shell.exec("ems:connect " + EMS + " identity 127.0.0.1 --port " + prop(OpenStackSimulators.KEYSTONE_PORT)
                    + " --path '/v3?project=demo' --ca-file " + prop(OpenStackSimulators.CA));
            setIdentityPassword(prop(OpenStackSimulators.PASSWORD));
            shell.exec("ems:connect " + EMS + " amqp 127.0.0.1 --scheme amqp --port " + prop(OpenStackSimulators.AMQP_PORT));
            shell.exec("ems:credential " + EMS + " --role amqp --user " + prop(OpenStackSimulators.AMQP_USER)
                    + " --secret-file " + secretFile(prop(OpenStackSimulators.AMQP_PASSWORD)));
        }
    }

    // ---- a: discovery ---------------------------------------------------------------------------

    @Test
    public void a_discoverStoresTheComputeConnectionOfTheCatalog() throws Exception {
        Ems ems = store.requireEms(EMS);
        int novaPort = Integer.parseInt(prop(OpenStackSimulators.NOVA_PORT));
        String url = "https://127.0.0.1:" + novaPort + "/v2.1";
        boolean first = connection(ems, "compute").isEmpty();
        String discovered = shell.exec("ems:discover " + EMS);
        // CHANGE, ID, ROLE, URL
        List<String> row = cells(discovered, first ? "added" : "unchanged");
        assertEquals(discovered, List.of("compute", url), row.subList(2, 4));

        Connection compute = connection(ems, "compute").orElseThrow();
        Connection identity = connection(ems, "identity").orElseThrow();
        assertTrue(compute.toString(), compute.discovered());
        assertTrue(compute.toString(), compute.defaultForRole());
        assertEquals("127.0.0.1", compute.host());
        assertEquals(novaPort, compute.port());
        assertEquals("https", compute.scheme());
        assertEquals("/v2.1", compute.path());
        assertEquals("the identity connection's CA", identity.caCertificate(), compute.caCertificate());
        assertTrue("the compute connection has no credential of its own", store.credentialOf(compute.id()).isEmpty());

        // Asked again, the catalog names the same: nothing changes.
        String again = shell.exec("ems:discover " + EMS);
        assertEquals(again, List.of("compute", url), cells(again, "unchanged").subList(2, 4));
        assertEquals(1, store.connections(ems.id()).stream().filter(c -> c.role().equals("compute")).count());
        assertEquals(3, store.connections(ems.id()).size());
    }

    // ---- b: which connection answers what -------------------------------------------------------

    @Test
    public void b_capabilitiesShowDiscoveryOnIdentityInventoryAndPowerOnComputeEventsOnAmqp() throws Exception {
        Ems ems = discovered();
        String capabilities = shell.exec("ems:capabilities " + EMS);
        String keystone = "127.0.0.1:" + prop(OpenStackSimulators.KEYSTONE_PORT);
        String nova = "127.0.0.1:" + prop(OpenStackSimulators.NOVA_PORT);
        String broker = "127.0.0.1:" + prop(OpenStackSimulators.AMQP_PORT);
        Map<String, String> expected = Map.of("discovery", "identity " + keystone, "inventory", "compute " + nova,
                "power", "compute " + nova, "events", "amqp " + broker);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String row = row(capabilities, e.getKey());
            assertTrue(capabilities, row.contains("  " + e.getValue() + "  "));
            assertTrue(capabilities, row.contains(PROVIDER_BSN + " "));
            assertTrue(capabilities, row.endsWith(CapabilityBinding.BOUND));
        }
        assertFalse(capabilities, capabilities.contains("no-connection"));
        List<CapabilityBinding> matrix = router.matrix(ems.id());
        assertEquals(matrix.toString(), new TreeSet<>(expected.keySet()),
                matrix.stream().map(CapabilityBinding::capability).collect(Collectors.toCollection(TreeSet::new)));
    }

    // ---- c: inventory -----------------------------------------------------------------------------

    @Test
    public void c_refreshStoresExactlyTheSimulatorsServersHypervisorsAndImages() throws Exception {
        Ems ems = discovered();
        int before = serverListRequests().size();
        String refreshed = shell.exec("ems:refresh " + EMS);
        assertTrue(refreshed, refreshed.contains("Refreshed EMS '" + EMS + "': "));

        List<VmItem> vms = inventory.vms(ems.id(), new VmQuery(false, null, null, 1_000_000));
        List<VmItem> templates = inventory.vms(ems.id(), new VmQuery(true, null, null, 1_000_000));
        List<HostItem> hosts = inventory.hosts(ems.id());

        // Servers: the same ids, each in the simulator's state, read over pages of at most 10.
        Map<String, String> states = serverStates();
        assertEquals(OpenStackSimulators.SERVERS, states.size());
        assertEquals(OpenStackSimulators.SERVERS, vms.size());
        assertEquals(new TreeSet<>(states.keySet()), vms.stream().map(VmItem::emsRef).collect(Collectors.toCollection(TreeSet::new)));
        for (VmItem vm : vms) {
            String status = states.get(vm.emsRef());
            assertTrue(vm + " vs " + status, vm.rawState().startsWith(status + "/"));
            if (status.equals("ACTIVE")) {
                assertEquals(vm.toString(), PowerState.ON, vm.powerState());
            } else if (status.equals("SHUTOFF")) {
                assertEquals(vm.toString(), PowerState.OFF, vm.powerState());
            }
            assertFalse(vm.template());
        }
        List<String> pages = serverListRequests().subList(before, serverListRequests().size());
        int pageCount = OpenStackSimulators.SERVERS / OpenStackSimulators.MAX_LIMIT + 1; // 10, 10, 10, 6
        assertEquals(pages.toString(), pageCount, pages.size());
        assertEquals(pages.toString(), pageCount - 1, pages.stream().filter(p -> p.contains("marker=")).count());
        assertTrue(pages.toString(), pages.stream().allMatch(p -> p.endsWith(" 200")));

        // Hypervisors (the account is admin): the same host names; every VM on a stored host.
        @SuppressWarnings("unchecked")
        List<String> hypervisorNames = ((Supplier<List<String>>) shared(OpenStackSimulators.HYPERVISORS, Supplier.class)).get();
        Set<String> hypervisors = hypervisorNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(4, hypervisors.size());
        Set<String> hostRefs = hosts.stream().map(HostItem::emsRef).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(hypervisors, hostRefs);
        assertTrue("every VM's host is a stored host", vms.stream().allMatch(v -> hostRefs.contains(v.hostRef())));

        // Images as templates.
        @SuppressWarnings("unchecked")
        List<String> images = ((Supplier<List<String>>) shared(OpenStackSimulators.IMAGE_IDS, Supplier.class)).get();
        assertEquals(4, images.size());
        assertEquals(new TreeSet<>(images), templates.stream().map(VmItem::emsRef).collect(Collectors.toCollection(TreeSet::new)));
        assertTrue(templates.stream().allMatch(VmItem::template));

        String listed = shell.exec("ems:vms --filter " + vms.get(0).emsRef() + " " + EMS);
        assertTrue(listed, listed.contains(vms.get(0).name()));
    }

    // ---- d: power and its notification ------------------------------------------------------------

    @Test
    public void d_powerStopsAServerInTheSimulatorAndItsNotificationBecomesAnEvent() throws Exception {
        Ems ems = discovered();
        awaitConsumer();
        if (inventory.vms(ems.id(), new VmQuery(false, null, null, 1_000_000)).isEmpty()) {
            shell.exec("ems:refresh " + EMS);
        }
        String active = serverStates().entrySet().stream().filter(e -> e.getValue().equals("ACTIVE")).map(Map.Entry::getKey)
                .sorted().findFirst().orElseThrow(() -> new AssertionError("no server is active in the simulator"));
        assertEquals(PowerState.ON, inventory.findVm(ems.id(), active).orElseThrow().powerState());

        String stopped = shell.exec("ems:power " + EMS + " " + active + " stop");
        assertTrue(stopped, stopped.contains("stop done; now off"));
        assertEquals("SHUTOFF", serverStates().get(active));
        assertEquals(PowerState.OFF, inventory.findVm(ems.id(), active).orElseThrow().powerState());

        // The simulator published instance.power_off.start and .end: the .end is shown by ems:events.
        String end = await("instance.power_off.end published", () -> published().entrySet().stream()
                .filter(e -> e.getValue().equals("instance.power_off.end")).map(Map.Entry::getKey).findFirst(), Optional::isPresent)
                .orElseThrow();
        String shown = await("instance.power_off.end shown by ems:events", () -> shell.exec("ems:events --tail 200 " + EMS),
                out -> out.lines().anyMatch(l -> l.endsWith("(" + end + ")")));
        String line = shown.lines().filter(l -> l.endsWith("(" + end + ")")).findFirst().orElseThrow();
        assertTrue(line, line.contains("  nova  instance.power_off.end  "));
        assertTrue(line, line.contains("[" + active + "]"));
        assertEquals(shown, 1, shown.lines().filter(l -> l.endsWith("(" + end + ")")).count());
    }

    // ---- e: notifications across an update of the provider ----------------------------------------

    @Test
    public void e_notificationsPublishedWhileTheProviderIsUpdatedArriveOnceEach() throws Exception {
        Ems ems = discovered();
        awaitConsumer();
        @SuppressWarnings("unchecked")
        Consumer<String> publish = shared(OpenStackSimulators.PUBLISH, Consumer.class);
        List<String> servers = serverStates().keySet().stream().sorted().toList();
        Bundle provider = Stream.of(bundleContext.getBundles()).filter(b -> PROVIDER_BSN.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        int before = published().size();

        // One before, a steady stream during the update (stop, new content, start), more after.
        publish.accept(servers.get(0));
        AtomicBoolean updating = new AtomicBoolean(true);
        AtomicInteger during = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (updating.get()) {
                publish.accept(servers.get(during.incrementAndGet() % servers.size()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "itests-openstack-publisher");
        // And one at each step of the update, from its own thread (a synchronous listener): when
        // the old revision has stopped, when the new content is in, when the new revision starts.
        @SuppressWarnings("unchecked")
        Function<String, Integer> consumers = shared(OpenStackSimulators.QUEUE_CONSUMERS, Function.class);
        Map<String, Integer> consumersAt = new java.util.LinkedHashMap<>();
        AtomicInteger atSteps = new AtomicInteger();
        SynchronousBundleListener steps = event -> {
            if (event.getBundle().equals(provider) && Set.of(BundleEvent.STOPPED, BundleEvent.UPDATED, BundleEvent.STARTING)
                    .contains(event.getType())) {
                consumersAt.put(String.valueOf(event.getType()), consumers.apply(QUEUE));
                publish.accept(servers.get(atSteps.incrementAndGet()));
            }
        };
        bundleContext.addBundleListener(steps);
        publisher.start();
        try (InputStream in = Files.newInputStream(providerJar())) {
            provider.update(in);
        } finally {
            bundleContext.removeBundleListener(steps);
            updating.set(false);
            publisher.join();
        }
        assertEquals("one notification at each step of the update", 3, atSteps.get());
        // Those of STOPPED and UPDATED were published with nobody consuming: they waited in the durable queue.
        assertEquals("consumers of " + QUEUE + " at STOPPED, UPDATED, STARTING: " + consumersAt, Integer.valueOf(0),
                consumersAt.get(String.valueOf(BundleEvent.STOPPED)));
        assertEquals("consumers of " + QUEUE + " at STOPPED, UPDATED, STARTING: " + consumersAt, Integer.valueOf(0),
                consumersAt.get(String.valueOf(BundleEvent.UPDATED)));
        assertEquals(Bundle.ACTIVE, provider.getState());
        for (int i = 0; i < 3; i++) {
            publish.accept(servers.get(i));
        }
        int sent = 1 + during.get() + atSteps.get() + 3;

        Map<String, String> all = await(sent + " notifications published", this::published, p -> p.size() >= before + sent);
        assertEquals(before + sent, all.size());
        await("every published notification stored", () -> new TreeSet<>(storedIds(ems)), ids -> ids.containsAll(all.keySet()));
        Thread.sleep(2000); // a little longer: nothing comes twice
        List<String> stored = storedIds(ems);
        Map<String, Integer> times = new HashMap<>();
        stored.forEach(id -> times.merge(id, 1, Integer::sum));
        for (String id : all.keySet()) {
            assertEquals("times " + id + " (" + all.get(id) + ") is stored", Integer.valueOf(1), times.get(id));
        }
        assertEquals("nothing stored that was not published", new TreeSet<>(all.keySet()), new TreeSet<>(stored));
        assertTrue(storedEvents(ems).stream().allMatch(e -> e.event().source().equals("nova")));
        awaitConsumer();
    }

    // ---- f: a wrong password ----------------------------------------------------------------------

    @Test
    public void f_aWrongIdentityPasswordIsAuthFailed() throws Exception {
        Ems ems = discovered();
        try {
            setIdentityPassword("not-" + prop(OpenStackSimulators.PASSWORD));
            GogoShell.Outcome failed = shell.failPrinting("ems:verify " + EMS);
            assertEquals("2 of 3 connection checks of EMS '" + EMS + "' failed", failed.error());
            String verified = failed.output();
            // ROLE, CONNECTION, SERVICE, RESULT, TIME
            assertEquals(verified, "127.0.0.1:" + prop(OpenStackSimulators.KEYSTONE_PORT), cells(verified, "identity").get(1));
            assertTrue(verified, cells(verified, "identity").get(3).startsWith(ConnectionCheck.AUTH_FAILED));
            assertTrue("the compute connection uses the identity account: " + verified,
                    cells(verified, "compute").get(3).startsWith(ConnectionCheck.AUTH_FAILED));
            assertEquals("the broker has its own account: " + verified, "ok", cells(verified, "amqp").get(3));
            Connection identity = connection(ems, "identity").orElseThrow();
            assertEquals(ConnectionCheck.AUTH_FAILED, store.credentialOf(identity.id()).orElseThrow().status());
            assertFalse(verified, verified.contains(prop(OpenStackSimulators.PASSWORD)));
        } finally {
            setIdentityPassword(prop(OpenStackSimulators.PASSWORD));
        }
        String verified = shell.exec("ems:verify " + EMS);
        for (String role : List.of("identity", "compute", "amqp")) {
            assertEquals(verified, "ok", cells(verified, role).get(3));
        }
    }

    // ---- g: a catalog without compute ---------------------------------------------------------------

    @Test
    public void g_aCatalogWithoutComputeDiscoversNothingAndInventoryHasNoConnection() throws Exception {
        shell.exec("ems:add openstack " + BARE_EMS);
        try {
            shell.exec("ems:connect " + BARE_EMS + " identity 127.0.0.1 --port " + prop(OpenStackSimulators.BARE_KEYSTONE_PORT)
                    + " --path '/v3?project=demo' --ca-file " + prop(OpenStackSimulators.BARE_CA));
            shell.exec("ems:credential " + BARE_EMS + " --role identity --user " + prop(OpenStackSimulators.USER)
                    + " --secret-file " + secretFile(prop(OpenStackSimulators.PASSWORD)));
            Ems ems = store.requireEms(BARE_EMS);
            String verified = shell.exec("ems:verify " + BARE_EMS);
            assertEquals(verified, "ok", cells(verified, "identity").get(3));

            String discovered = shell.exec("ems:discover " + BARE_EMS);
            assertTrue(discovered, discovered.contains("names no connection to discover"));
            assertEquals(List.of("identity"), store.connections(ems.id()).stream().map(Connection::role).toList());

            String capabilities = shell.exec("ems:capabilities " + BARE_EMS);
            assertTrue(capabilities, row(capabilities, "inventory").endsWith(CapabilityBinding.NO_CONNECTION));
            assertTrue(capabilities, row(capabilities, "discovery").endsWith(CapabilityBinding.BOUND));
            String reason = capabilities.lines().map(String::strip).filter(l -> l.startsWith("inventory: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no reason for inventory in:\n" + capabilities));
            assertTrue(reason, reason.contains("no compute connection"));
            CapabilityBinding binding = router.matrix(ems.id()).stream().filter(b -> b.capability().equals("inventory"))
                    .findFirst().orElseThrow();
            assertEquals(CapabilityBinding.NO_CONNECTION, binding.state());
            assertEquals("compute", binding.role());
        } finally {
            shell.exec("ems:remove " + BARE_EMS);
        }
    }

    // ---- h: compute microversion 2.88 ------------------------------------------------------------

    @Test
    public void h_fromComputeMicroversion288HostCapacityComesFromPlacementNotAsZero() throws Exception {
        Ems ems = discovered();
        if (inventory.hosts(ems.id()).isEmpty()) {
            shell.exec("ems:refresh " + EMS);
        }
        Map<String, String> atDefault = capacities(ems);
        assertEquals(atDefault.toString(), 4, atDefault.size());
        assertFalse(atDefault.toString(), atDefault.values().stream().anyMatch(c -> c.startsWith("0 cpus") || c.endsWith(" 0 bytes")));

        // Nova from 2.88 lists hypervisors without CPUs and memory; the provider must ask Placement.
        Path cfg = Path.of(System.getProperty("junction.home")).resolve("etc/io.junction.provider.openstack.cfg");
        Files.writeString(cfg, "computeMicroversion = 2.88\n", StandardCharsets.UTF_8);
        String newer = "os-288";
        try {
            await("the Nova service configured with compute 2.88", this::novaMicroversion, "2.88"::equals);
            int before = placementRequests().size();
            shell.exec("ems:add openstack " + newer);
            shell.exec("ems:connect " + newer + " identity 127.0.0.1 --port " + prop(OpenStackSimulators.KEYSTONE_PORT)
                    + " --path '/v3?project=demo' --ca-file " + prop(OpenStackSimulators.CA));
            shell.exec("ems:credential " + newer + " --role identity --user " + prop(OpenStackSimulators.USER)
                    + " --secret-file " + secretFile(prop(OpenStackSimulators.PASSWORD)));
            shell.exec("ems:discover " + newer);
            String refreshed = shell.exec("ems:refresh " + newer);
            assertTrue(refreshed, refreshed.contains("Refreshed EMS '" + newer + "': "));
            assertEquals(atDefault, capacities(store.requireEms(newer)));
            List<String> asked = placementRequests().subList(before, placementRequests().size());
            assertEquals(asked.toString(), 4, asked.size());
            assertTrue(asked.toString(), asked.stream().allMatch(r -> r.matches("placement GET /resource_providers/[0-9a-f-]{36}/inventories 200")));
        } finally {
            Files.deleteIfExists(cfg);
            shell.exec("ems:remove " + newer);
        }
    }

    /** Each stored host's CPUs and memory, by reference. */
    private Map<String, String> capacities(Ems ems) {
        return inventory.hosts(ems.id()).stream()
                .collect(Collectors.toMap(HostItem::emsRef, h -> h.cpuCount() + " cpus " + h.memoryBytes() + " bytes"));
    }

    /** The computeMicroversion the Nova service runs with, as its service properties say (null: the default). */
    private String novaMicroversion() throws Exception {
        var refs = bundleContext.getServiceReferences(io.junction.api.service.EmsService.class,
                "(&(" + io.junction.api.service.EmsService.TYPE + "=openstack)(" + io.junction.api.service.EmsService.ROLE + "=compute))");
        return refs.isEmpty() ? null : (String) refs.iterator().next().getProperty("computeMicroversion");
    }

    @SuppressWarnings("unchecked")
    private static List<String> placementRequests() {
        List<String> all = ((Supplier<List<String>>) shared(OpenStackSimulators.REQUESTS, Supplier.class)).get();
        return all.stream().filter(r -> r.startsWith("placement ")).toList();
    }

    // ---- i, j: the brokers of a RabbitMQ cluster as several amqp connections ---------------------

    /**
     * Notifications published all along while the preferred broker goes away and comes back are read
     * through the standby meanwhile, from the same queue, and through the preferred one again when it
     * answers: every one stored exactly once.
     */
    @Test
    public void i_notificationsMoveToTheStandbyBrokerAndBackEachStoredOnce() throws Exception {
        String name = "os-cluster";
        Ems ems = clusterEms(name);
        shell.exec("ems:credential " + name + " --role amqp --user " + prop(OpenStackSimulators.AMQP_USER)
                + " --secret-file " + secretFile(prop(OpenStackSimulators.AMQP_PASSWORD)));
        String queue = "junction." + name + ".notifications";
        @SuppressWarnings("unchecked")
        Function<String, Integer> consumers = shared(OpenStackSimulators.QUEUE_CONSUMERS, Function.class);
        @SuppressWarnings("unchecked")
        Consumer<String> publish = shared(OpenStackSimulators.PUBLISH, Consumer.class);
        @SuppressWarnings("unchecked")
        Supplier<List<Long>> bytes = shared(OpenStackSimulators.BROKER_BYTES, Supplier.class);
        Runnable stopPreferred = shared(OpenStackSimulators.BROKER_STOP_PREFERRED, Runnable.class);
        Runnable startPreferred = shared(OpenStackSimulators.BROKER_START_PREFERRED, Runnable.class);
        String preferred = "127.0.0.1:" + prop(OpenStackSimulators.BROKER_PREFERRED_PORT);
        String standby = "127.0.0.1:" + prop(OpenStackSimulators.BROKER_STANDBY_PORT);
        await("a consumer on " + queue, () -> consumers.apply(queue), n -> n >= 1);
        // From here on every notification published lands in the EMS's queue.
        int before = published().size();
        List<String> servers = serverStates().keySet().stream().sorted().toList();
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (int i = 0; publishing.get(); i++) {
                publish.accept(servers.get(i % servers.size()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "itests-cluster-publisher");
        publisher.start();
        try {
            await("notifications stored through the preferred broker", () -> storedIds(ems).size(), n -> n >= 10);
            assertTrue("read through the preferred broker: " + bytes.get(), bytes.get().get(0) > bytes.get().get(1));

            stopPreferred.run();
            int whenStopped = storedIds(ems).size();
            await("notifications stored through the standby broker", () -> storedIds(ems).size(), n -> n >= whenStopped + 20);
            String away = shell.exec("ems:capabilities " + name);
            String eventsLine = away.lines().filter(l -> l.strip().startsWith("events: ")).findFirst()
                    .orElseThrow(() -> new AssertionError(away));
            assertTrue(away, eventsLine.contains("down " + preferred + " (connection "));
            assertTrue(away, eventsLine.contains("active " + standby));

            startPreferred.run();
            await("events routed to the preferred broker again", () -> shell.exec("ems:capabilities " + name),
                    out -> out.contains("events: active " + preferred + " (connection "));
            // Read through the preferred broker again: a second's notifications come through it, none through the standby.
            await("the subscription back on the preferred broker", () -> {
                List<Long> start = bytes.get();
                Thread.sleep(1000);
                List<Long> end = bytes.get();
                return List.of(end.get(0) - start.get(0), end.get(1) - start.get(1));
            }, delta -> delta.get(0) > 10_000 && delta.get(1) < 1_000);
        } finally {
            publishing.set(false);
            publisher.join();
            startPreferred.run(); // for the tests after this one, whatever happened here
        }
        List<String> expected = List.copyOf(published().keySet()).subList(before, published().size());
        await("every notification published stored", () -> new TreeSet<>(storedIds(ems)), ids -> ids.containsAll(expected));
        Thread.sleep(2000); // a little longer: nothing comes twice
        assertEquals("each stored exactly once, nothing else", expected.stream().sorted().toList(),
                storedIds(ems).stream().sorted().toList());
        shell.exec("ems:remove " + name);
    }

    /** A wrong password on the preferred broker is a configuration error: reported, and the standby is not used. */
    @Test
    public void j_aWrongPasswordOnThePreferredBrokerDoesNotFailOver() throws Exception {
        String name = "os-cluster-j";
        Ems ems = clusterEms(name);
        Connection preferred = store.connections(ems.id()).stream().filter(c -> c.priority() == 1).findFirst().orElseThrow();
        Connection standby = store.connections(ems.id()).stream().filter(c -> c.priority() == 2).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Supplier<List<Integer>> connections = shared(OpenStackSimulators.BROKER_CONNECTIONS, Supplier.class);
        @SuppressWarnings("unchecked")
        Function<String, Integer> consumers = shared(OpenStackSimulators.QUEUE_CONSUMERS, Function.class);
        List<Integer> before = connections.get();
        // The preferred one has a wrong password; the standby the right one of its own. In this order:
        // the other way round, the preferred connection would share the standby's credential for a moment.
        shell.exec("ems:credential " + name + " --connection " + preferred.id() + " --user " + prop(OpenStackSimulators.AMQP_USER)
                + " --secret-file " + secretFile("not-the-password"));
        shell.exec("ems:credential " + name + " --connection " + standby.id() + " --user " + prop(OpenStackSimulators.AMQP_USER)
                + " --secret-file " + secretFile(prop(OpenStackSimulators.AMQP_PASSWORD)));
        // The subscription is tried at once, and again after a few seconds: twice refused.
        await("the preferred broker tried twice", connections::get, c -> c.get(0) >= before.get(0) + 2);
        assertEquals("the standby was not asked", before.get(1), connections.get().get(1));
        assertEquals("no queue, no consumer", Integer.valueOf(-1), consumers.apply("junction." + name + ".notifications"));
        assertTrue(storedIds(ems).isEmpty());
        shell.exec("ems:remove " + name);
    }

    /** With the preferred broker away before the subscription is first made, notifications come through the standby. */
    @Test
    public void k_whenThePreferredBrokerIsAwayFromTheStartNotificationsComeThroughTheStandby() throws Exception {
        String name = "os-cluster-k";
        Runnable stopPreferred = shared(OpenStackSimulators.BROKER_STOP_PREFERRED, Runnable.class);
        Runnable startPreferred = shared(OpenStackSimulators.BROKER_START_PREFERRED, Runnable.class);
        @SuppressWarnings("unchecked")
        Function<String, Integer> consumers = shared(OpenStackSimulators.QUEUE_CONSUMERS, Function.class);
        @SuppressWarnings("unchecked")
        Consumer<String> publish = shared(OpenStackSimulators.PUBLISH, Consumer.class);
        stopPreferred.run();
        try {
            Ems ems = clusterEms(name);
            shell.exec("ems:credential " + name + " --role amqp --user " + prop(OpenStackSimulators.AMQP_USER)
                    + " --secret-file " + secretFile(prop(OpenStackSimulators.AMQP_PASSWORD)));
            String queue = "junction." + name + ".notifications";
            await("a consumer on " + queue + " through the standby", () -> consumers.apply(queue), n -> n >= 1);
            int before = published().size();
            publish.accept(serverStates().keySet().iterator().next());
            List<String> expected = List.copyOf(published().keySet()).subList(before, published().size());
            await("the notification stored", () -> storedIds(ems), ids -> ids.containsAll(expected));
            String shown = shell.exec("ems:capabilities " + name);
            assertTrue(shown, shown.contains("active 127.0.0.1:" + prop(OpenStackSimulators.BROKER_STANDBY_PORT)));
        } finally {
            startPreferred.run();
            shell.exec("ems:remove " + name);
        }
    }

    /** An OpenStack EMS whose only connections are two brokers of the cluster: the preferred at priority 1, the standby at 2. */
    private Ems clusterEms(String name) throws Exception {
        shell.exec("ems:add openstack " + name);
        shell.exec("ems:connect " + name + " amqp 127.0.0.1 --scheme amqp --port " + prop(OpenStackSimulators.BROKER_PREFERRED_PORT));
        shell.exec("ems:connect " + name + " amqp 127.0.0.1 --scheme amqp --priority 2 --port "
                + prop(OpenStackSimulators.BROKER_STANDBY_PORT));
        return store.requireEms(name);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The EMS with its compute connection discovered, every capability bound to the OpenStack provider. */
    private Ems discovered() throws Exception {
        Ems ems = store.requireEms(EMS);
        if (connection(ems, "compute").isEmpty()) {
            shell.exec("ems:discover " + EMS);
        }
        await("capabilities of '" + EMS + "' bound to " + PROVIDER_BSN, () -> router.matrix(ems.id()),
                rows -> Stream.of("discovery", "inventory", "power", "events").allMatch(c -> rows.stream().anyMatch(r -> r.capability().equals(c)
                        && r.state().equals(CapabilityBinding.BOUND) && PROVIDER_BSN.equals(r.bundle()))));
        return ems;
    }

    /** Junction's durable queue on the broker has its consumer: notifications published now are received. */
    private static void awaitConsumer() throws Exception {
        @SuppressWarnings("unchecked")
        Function<String, Integer> consumers = shared(OpenStackSimulators.QUEUE_CONSUMERS, Function.class);
        await("a consumer on " + QUEUE, () -> consumers.apply(QUEUE), n -> n >= 1);
    }

    private void setIdentityPassword(String password) throws Exception {
        shell.exec("ems:credential " + EMS + " --role identity --user " + prop(OpenStackSimulators.USER)
                + " --secret-file " + secretFile(password));
    }

    private Optional<Connection> connection(Ems ems, String role) {
        return store.connections(ems.id()).stream().filter(c -> c.role().equals(role)).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> serverStates() {
        return ((Supplier<Map<String, String>>) shared(OpenStackSimulators.SERVER_STATES, Supplier.class)).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> published() {
        return ((Supplier<Map<String, String>>) shared(OpenStackSimulators.PUBLISHED, Supplier.class)).get();
    }

    /** The simulator's answered GETs of the servers list, oldest first. */
    @SuppressWarnings("unchecked")
    private static List<String> serverListRequests() {
        List<String> all = ((Supplier<List<String>>) shared(OpenStackSimulators.REQUESTS, Supplier.class)).get();
        return all.stream().filter(r -> r.startsWith("nova GET /v2.1/servers/detail")).toList();
    }

    /** An object the simulators' side put into the system properties (a JDK type: see {@link OpenStackSimulators}). */
    private static <T> T shared(String key, Class<T> type) {
        Object value = System.getProperties().get(key);
        if (value == null) {
            throw new AssertionError("the simulators did not share " + key);
        }
        return type.cast(value);
    }

    private static String prop(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new AssertionError("the simulators did not share " + key);
        }
        return value;
    }

    /** The provider's jar in the distribution's system/ (what the launcher installs). */
    private static Path providerJar() throws Exception {
        try (Stream<Path> jars = Files.list(Path.of(prop("junction.dist")).resolve("system"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("provider-openstack-")).findFirst().orElseThrow();
        }
    }

    private List<StoredEvent> storedEvents(Ems ems) {
        return events.latest(ems.id(), 100_000);
    }

    private List<String> storedIds(Ems ems) {
        List<String> ids = new ArrayList<>();
        for (StoredEvent e : storedEvents(ems)) {
            ids.add(e.event().providerEventId());
        }
        return ids;
    }

    private static <T> T await(String what, Callable<T> sample, Predicate<? super T> done) throws Exception {
        return Await.until(what, PATIENCE, sample, done, String::valueOf);
    }

    private static List<String> cells(String table, String first) {
        return List.of(row(table, first).split(" {2,}"));
    }

    private static String row(String table, String first) {
        return table.lines().filter(l -> l.startsWith(first + " ")).findFirst().map(String::strip)
                .orElseThrow(() -> new AssertionError("no row '" + first + "' in:\n" + table));
    }

    private static Path secretFile(String content) throws Exception {
        return JunctionDistribution.secretFile(content + "\n");
    }
}
