package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.junction.api.Ems;
import io.junction.api.Secret;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.store.StoredEvent;
import io.junction.api.service.CapabilityRouter;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
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

/**
 * The Microsoft provider of the distribution against two WinRM simulators, one impersonating an
 * SCVMM server and one a SCOM server, each with its own account and its own self-signed CA:
 * each connection is checked with its own credential, failures are named, the inventory and
 * power go through SCVMM, SCOM alerts become events once each, also across an update of the
 * provider bundle.
 *
 * <p>The simulators run in this JVM outside the framework; the test methods (inside it) reach
 * them only through JDK objects in the system properties (see {@link MicrosoftSimulators}). This
 * class uses only Junction's API packages, never the provider's.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class MicrosoftProviderIT {
    private static final String HOME = "microsoft-provider";
    private static final String EMS = "sc";
    private static final String PROVIDER_BSN = "io.junction.provider.microsoft";
    /** How long something asynchronous may take before the test gives up: generous, never a speed assertion. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> CAPABILITIES = List.of("events", "inventory", "power");

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

    /** Runs outside the framework: starts the simulators there, and polls SCOM every second. */
    @Configuration
    public Option[] config() throws Exception {
        MicrosoftSimulators.start(JunctionDistribution.work().resolve("microsoft-simulators"));
        Path home = JunctionDistribution.freshHome(HOME);
        // File Install reads etc/ at boot: the SCOM service polls every second instead of every minute.
        Files.writeString(home.resolve("etc/io.junction.provider.microsoft.scom.cfg"), "pollIntervalSeconds = 1\n",
                StandardCharsets.UTF_8);
        // Down connections are probed twice a second at first, at most every two seconds.
        Files.writeString(home.resolve("etc/io.junction.router.cfg"), "probeIntervalMillis = 500\nprobeMaxIntervalMillis = 2000\n",
                StandardCharsets.UTF_8);
        return JunctionDistribution.options(home);
    }

    /** The EMS "sc": SCVMM with account A, SCOM with account B, each listener with its own CA. */
    @Before
    public void microsoftEms() throws Exception {
        shell = new GogoShell(processor);
        if (store.findEmsByName(EMS).isEmpty()) {
            shell.exec("ems:add microsoft " + EMS);
            shell.exec("ems:connect " + EMS + " scvmm 127.0.0.1 --port " + scvmmPort() + " --ca-file " + prop(MicrosoftSimulators.SCVMM_CA));
            shell.exec("ems:connect " + EMS + " scom 127.0.0.1 --port " + scomPort() + " --ca-file " + prop(MicrosoftSimulators.SCOM_CA));
            setCredentials(false);
        }
        awaitBound(store.requireEms(EMS));
    }

    // ---- a: each connection with its own account ---------------------------------------------

    @Test
    public void a_verifyUsesEachConnectionsOwnAccountAndSwappedAccountsAreRefused() throws Exception {
        Ems ems = store.requireEms(EMS);
        // ROLE, CONNECTION, SERVICE, RESULT, TIME
        String verified = shell.exec("ems:verify " + EMS);
        assertEquals(verified, List.of("scvmm", "127.0.0.1:" + scvmmPort()), cells(verified, "scvmm").subList(0, 2));
        assertEquals(verified, "ok", cells(verified, "scvmm").get(3));
        assertEquals(verified, List.of("scom", "127.0.0.1:" + scomPort()), cells(verified, "scom").subList(0, 2));
        assertEquals(verified, "ok", cells(verified, "scom").get(3));
        assertEquals(ConnectionCheck.OK, status(ems, "scvmm"));
        assertEquals(ConnectionCheck.OK, status(ems, "scom"));
        assertOnlyOwnAccounts();

        // A's secret on scom and B's on scvmm (users swapped with them): both refused.
        setCredentials(true);
        GogoShell.Outcome failed = shell.failPrinting("ems:verify " + EMS);
        assertEquals("2 of 2 connection checks of EMS '" + EMS + "' failed", failed.error());
        verified = failed.output();
        assertTrue(verified, cells(verified, "scvmm").get(3).startsWith(ConnectionCheck.AUTH_FAILED));
        assertTrue(verified, cells(verified, "scom").get(3).startsWith(ConnectionCheck.AUTH_FAILED));
        assertEquals(ConnectionCheck.AUTH_FAILED, status(ems, "scvmm"));
        assertEquals(ConnectionCheck.AUTH_FAILED, status(ems, "scom"));
        assertOnlyOwnAccounts();

        setCredentials(false);
        verified = shell.exec("ems:verify " + EMS);
        assertEquals(verified, "ok", cells(verified, "scvmm").get(3));
        assertEquals(verified, "ok", cells(verified, "scom").get(3));
        assertOnlyOwnAccounts();
    }

    // ---- b: a closed port, an untrusted certificate -------------------------------------------

    @Test
    public void b_aClosedPortIsUnreachableAndASelfSignedServerWithoutItsCaIsUntrusted() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String bad = "sc-bad";
        shell.exec("ems:add microsoft " + bad);
        try {
            shell.exec("ems:connect " + bad + " scvmm 127.0.0.1 --port " + closed + " --ca-file " + prop(MicrosoftSimulators.SCVMM_CA));
            shell.exec("ems:connect " + bad + " scom 127.0.0.1 --port " + scomPort());
            shell.exec("ems:credential " + bad + " --role scvmm --user " + prop(MicrosoftSimulators.SCVMM_USER)
                    + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCVMM_PASSWORD)));
            shell.exec("ems:credential " + bad + " --role scom --user " + prop(MicrosoftSimulators.SCOM_USER)
                    + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCOM_PASSWORD)));
            GogoShell.Outcome failed = shell.failPrinting("ems:verify " + bad);
            assertEquals("2 of 2 connection checks of EMS '" + bad + "' failed", failed.error());
            String verified = failed.output();
            assertEquals(verified, "127.0.0.1:" + closed, cells(verified, "scvmm").get(1));
            // What happened, in words: no Java class name, no JDK wording.
            assertEquals(verified, "unreachable (cannot connect to 127.0.0.1:" + closed + ": connection refused)",
                    cells(verified, "scvmm").get(3));
            assertTrue(verified, cells(verified, "scom").get(3).startsWith(ConnectionCheck.TLS_UNTRUSTED));
            Ems ems = store.requireEms(bad);
            assertEquals(ConnectionCheck.UNREACHABLE, status(ems, "scvmm"));
            assertEquals(ConnectionCheck.TLS_UNTRUSTED, status(ems, "scom"));
            assertOnlyOwnAccounts();
        } finally {
            shell.exec("ems:remove " + bad);
        }
    }

    // ---- c: inventory -------------------------------------------------------------------------

    @Test
    public void c_refreshStoresExactlyTheSimulatorsInventory() throws Exception {
        Ems ems = store.requireEms(EMS);
        shell.exec("ems:refresh " + EMS);

        List<ClusterItem> clusters = inventory.clusters(ems.id());
        List<HostItem> hosts = inventory.hosts(ems.id());
        List<VmItem> vms = inventory.vms(ems.id(), new VmQuery(false, null, null, 1_000_000));
        List<VmItem> templates = inventory.vms(ems.id(), new VmQuery(true, null, null, 1_000_000));
        assertEquals(clusters.toString(), MicrosoftSimulators.CLUSTERS, clusters.size());
        assertEquals(hosts.toString(), MicrosoftSimulators.HOSTS, hosts.size());
        assertEquals(MicrosoftSimulators.VMS, vms.size());
        assertEquals(MicrosoftSimulators.TEMPLATES, templates.size());
        assertTrue(inventory.datastores(ems.id()).isEmpty());

        // The same VMs as the simulator, each in the simulator's state.
        Map<String, String> states = vmStates();
        assertEquals(new TreeSet<>(states.keySet()), vms.stream().map(VmItem::emsRef).collect(Collectors.toCollection(TreeSet::new)));
        for (VmItem vm : vms) {
            assertEquals(vm.toString(), states.get(vm.emsRef()), vm.rawState());
            assertFalse(vm.template());
        }
        assertTrue(templates.stream().allMatch(VmItem::template));
        assertEquals(Set.of("cluster01.junction.test"), clusters.stream().map(ClusterItem::name).collect(Collectors.toSet()));
        Set<String> hostRefs = hosts.stream().map(HostItem::emsRef).collect(Collectors.toSet());
        assertEquals(Set.of("hv01.junction.test", "hv02.junction.test", "hv03.junction.test"), hostRefs);
        assertTrue("every VM's host is a stored host", vms.stream().allMatch(v -> hostRefs.contains(v.hostRef())));
        String clusterRef = clusters.get(0).emsRef();
        assertTrue(hosts.toString(), hosts.stream().anyMatch(h -> clusterRef.equals(h.clusterRef())));

        VmItem first = vms.get(0);
        String listed = shell.exec("ems:vms --filter " + first.emsRef() + " " + EMS);
        assertTrue(listed, listed.contains(first.name()));
    }

    // ---- d: power -----------------------------------------------------------------------------

    @Test
    public void d_powerStartsAVmInTheSimulatorAndTheStore() throws Exception {
        Ems ems = store.requireEms(EMS);
        shell.exec("ems:refresh " + EMS);
        String off = vmStates().entrySet().stream().filter(e -> e.getValue().equals("PowerOff")).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no VM is off in the simulator: " + vmStates()));
        assertEquals(PowerState.OFF, inventory.findVm(ems.id(), off).orElseThrow().powerState());

        String started = shell.exec("ems:power " + EMS + " " + off + " start");
        assertTrue(started, started.contains("start done; now on (Running)"));
        assertEquals("Running", vmStates().get(off));
        VmItem stored = inventory.findVm(ems.id(), off).orElseThrow();
        assertEquals(PowerState.ON, stored.powerState());
        assertEquals("Running", stored.rawState());
        assertOnlyOwnAccounts();
    }

    // ---- e: which connection answers what -------------------------------------------------------

    @Test
    public void e_capabilitiesShowInventoryAndPowerOnScvmmAndEventsOnScom() throws Exception {
        String capabilities = shell.exec("ems:capabilities " + EMS);
        for (String capability : List.of("inventory", "power")) {
            String row = row(capabilities, capability);
            assertTrue(capabilities, row.contains("scvmm 127.0.0.1:" + scvmmPort()));
            assertTrue(capabilities, row.contains(PROVIDER_BSN + " "));
            assertTrue(capabilities, row.endsWith("bound"));
        }
        String eventsRow = row(capabilities, "events");
        assertTrue(capabilities, eventsRow.contains("scom 127.0.0.1:" + scomPort()));
        assertTrue(capabilities, eventsRow.contains(PROVIDER_BSN + " "));
        assertTrue(capabilities, eventsRow.endsWith("bound"));
    }

    // ---- f: SCOM alerts to events ---------------------------------------------------------------

    @Test
    public void f_everyAlertVersionIsStoredOnceAcrossAnUpdateOfTheProvider() throws Exception {
        Ems ems = store.requireEms(EMS);
        Runnable nextAlert = shared(MicrosoftSimulators.SCOM_NEXT_ALERT);
        Supplier<List<String>> raised = shared(MicrosoftSimulators.SCOM_ALERT_VERSIONS);
        assertEquals("no alert is raised before the test raises it", List.of(), raised.get());

        for (int i = 0; i < 3; i++) {
            nextAlert.run();
        }
        await("the first alerts stored", () -> storedIds(ems), ids -> ids.containsAll(raised.get()));

        // SCOM keeps only each alert's current state: a version replaced before any poll saw it
        // could never be read, by any client. So the clock never moves past the closing of an
        // alert version that is not stored yet; otherwise alerts come while the bundle is updated.
        Bundle provider = Stream.of(bundleContext.getBundles()).filter(b -> PROVIDER_BSN.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        nextAlert.run(); // 4th (the 2nd, stored, is closed now)
        nextAlert.run(); // 5th
        try (InputStream in = Files.newInputStream(providerJar())) {
            provider.update(in);
        }
        nextAlert.run(); // 6th, while the updated bundle's services come up
        assertEquals(Bundle.ACTIVE, provider.getState());
        awaitBound(ems);
        for (int i = 7; i <= 12; i++) {
            await("the alerts so far stored", () -> storedIds(ems), ids -> ids.containsAll(raised.get()));
            nextAlert.run();
        }

        // 12 alerts raised; the 2nd, 5th, 8th … are closed 2.5 intervals later: 3 closings seen.
        List<String> expected = raised.get();
        assertEquals(expected.toString(), 15, expected.size());
        await("every alert version stored", () -> new TreeSet<>(storedIds(ems)), ids -> ids.equals(new TreeSet<>(expected)));
        // a few more polls: nothing comes twice
        Thread.sleep(3000);
        List<String> stored = storedIds(ems);
        assertEquals("each alert version stored exactly once", expected, stored.stream().sorted().toList());
        assertTrue(storedEvents(ems).stream().allMatch(e -> e.event().source().equals("scom")));

        String shown = shell.exec("ems:events --tail 100 " + EMS);
        for (String id : expected) {
            assertEquals(shown, 1, shown.lines().filter(l -> l.endsWith("(" + id + ")")).count());
        }
        assertTrue(shown, shown.contains("alert.closed"));
        assertTrue(shown, shown.contains("alert.new"));
        assertOnlyOwnAccounts();
    }

    // ---- g: secrets -----------------------------------------------------------------------------

    @Test
    public void g_noSecretIsPrinted() throws Exception {
        String vmmPassword = prop(MicrosoftSimulators.SCVMM_PASSWORD);
        String scomPassword = prop(MicrosoftSimulators.SCOM_PASSWORD);
        String shown = shell.exec("ems:show " + EMS);
        assertTrue(shown, shown.contains(prop(MicrosoftSimulators.SCVMM_USER)));
        assertTrue(shown, shown.contains(Secret.MASK));
        for (String output : List.of(shown, shell.exec("ems:verify " + EMS), shell.exec("ems:capabilities " + EMS))) {
            assertFalse(output, output.contains(vmmPassword));
            assertFalse(output, output.contains(scomPassword));
        }
    }

    // ---- h: Basic over plain http ----------------------------------------------------------------

    @Test
    public void h_basicOverPlainHttpIsRefusedUnlessTheConnectionAllowsItAndThenFlaggedLoudly() throws Exception {
        Supplier<List<String>> authorizations = shared(MicrosoftSimulators.PLAIN_HTTP_AUTHORIZATIONS);
        int port = Integer.parseInt(prop(MicrosoftSimulators.PLAIN_HTTP_PORT));
        String plain = "sc-http";
        String credential = "ems:credential " + plain + " --role scvmm --user " + prop(MicrosoftSimulators.SCVMM_USER)
                + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCVMM_PASSWORD));
        shell.exec("ems:add microsoft " + plain);
        try {
            String refused = shell.fail("ems:connect " + plain + " scvmm 127.0.0.1 --port " + port + " --allow-basic-over-http");
            assertTrue(refused, refused.contains("only to scheme http"));
            assertTrue(store.connections(store.requireEms(plain).id()).isEmpty());

            // The listener offers only Basic: without the flag nothing is sent, and the line names the flag.
            shell.exec("ems:connect " + plain + " scvmm 127.0.0.1 --scheme http --port " + port);
            shell.exec(credential);
            GogoShell.Outcome failed = shell.failPrinting("ems:verify " + plain + " scvmm");
            String verified = failed.output();
            assertTrue(failed.error(), failed.error().contains("1 of 1 connection checks"));
            String result = cells(verified, "scvmm").get(3);
            assertTrue(verified, result.startsWith(ConnectionCheck.AUTH_FAILED));
            assertTrue(verified, result.contains("--allow-basic-over-http"));
            assertEquals("no Authorization header reached the listener", List.of(), authorizations.get());
            assertFalse(verified, verified.contains("WARNING"));
            assertFalse(shell.exec("ems:show " + plain).contains("WARNING"));

            // Allowed for this connection: it works, and every view of it says what it costs.
            shell.exec("ems:disconnect " + plain + " scvmm");
            String added = shell.exec("ems:connect " + plain + " scvmm 127.0.0.1 --scheme http --allow-basic-over-http --port " + port);
            String warning = "allows Basic authentication over plain http (--allow-basic-over-http)";
            assertTrue(added, added.contains("WARNING: scvmm connection") && added.contains(warning));
            shell.exec(credential);
            verified = shell.exec("ems:verify " + plain + " scvmm");
            assertEquals(verified, "ok", cells(verified, "scvmm").get(3));
            assertTrue(verified, verified.contains("WARNING: scvmm connection") && verified.contains(warning));
            assertTrue(authorizations.get().toString(), !authorizations.get().isEmpty()
                    && authorizations.get().stream().allMatch("Basic"::equals));
            String shown = shell.exec("ems:show " + plain);
            assertTrue(shown, shown.contains(warning));
            assertTrue(shown, shown.contains("none, Basic allowed"));
            assertTrue(store.connections(store.requireEms(plain).id()).get(0).allowBasicOverHttp());
        } finally {
            shell.exec("ems:remove " + plain);
        }
    }

    // ---- i: a failover pair of SCVMM listeners ----------------------------------------------------

    /**
     * Eight threads call inventory and power while the preferred SCVMM listener stops: inventory keeps
     * succeeding on the standby, a power call succeeds or fails with one line, none hangs; when the
     * preferred listener is back, calls return to it.
     */
    @Test
    public void i_inventoryAndPowerCarryOnOnTheStandbyWhileThePreferredScvmmServerIsAway() throws Exception {
        Ems ems = pairEms("pair-i");
        Supplier<List<Integer>> commands = shared(MicrosoftSimulators.PAIR_COMMANDS);
        Runnable stopPreferred = shared(MicrosoftSimulators.PAIR_STOP_PREFERRED);
        Runnable startPreferred = shared(MicrosoftSimulators.PAIR_START_PREFERRED);
        Supplier<Map<String, String>> states = shared(MicrosoftSimulators.PAIR_VM_STATES);
        List<String> vmRefs = List.copyOf(states.get().keySet());

        List<Integer> before = commands.get();
        assertEquals(MicrosoftSimulators.VMS, countVms(ems));
        List<Integer> afterFirst = commands.get();
        assertTrue("the preferred listener answered: " + before + " → " + afterFirst, afterFirst.get(0) > before.get(0));
        assertEquals("the standby was not asked", before.get(1), afterFirst.get(1));

        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger inventoryOk = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger powerOk = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(8);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(threads.submit(() -> {
                    running.countDown();
                    for (int i = 0; !stop.get(); i++) {
                        if (thread % 2 == 0) {
                            try {
                                if (countVms(ems) != MicrosoftSimulators.VMS) {
                                    failures.add("inventory: a short snapshot");
                                }
                                inventoryOk.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.add("inventory: " + e.getMessage());
                            }
                        } else {
                            String vm = vmRefs.get((thread * 7 + i) % vmRefs.size());
                            io.junction.api.service.PowerAction action = i % 2 == 0 ? io.junction.api.service.PowerAction.START
                                    : io.junction.api.service.PowerAction.STOP;
                            try {
                                router.call(ems.id(), io.junction.api.service.PowerCapability.class, p -> p.perform(vm, action));
                                powerOk.incrementAndGet();
                            } catch (io.junction.api.ProviderException e) {
                                // The VM was already in that state: the server answered.
                                powerOk.incrementAndGet();
                            } catch (io.junction.api.UnreachableException e) {
                                if (e.getMessage() == null || e.getMessage().contains("\n")) {
                                    failures.add("power: not one line: " + e.getMessage());
                                } else if (!e.getMessage().contains("the next call will use the standby scvmm server 127.0.0.1:"
                                        + prop(MicrosoftSimulators.PAIR_STANDBY_PORT))) {
                                    failures.add("power: does not name the standby: " + e.getMessage());
                                }
                            } catch (RuntimeException e) {
                                failures.add("power: " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            running.await();
            await("calls while both listeners answer", inventoryOk::get, n -> n >= 8);
            stopPreferred.run();
            int okWhenStopped = inventoryOk.get();
            List<Integer> whenStopped = commands.get();
            await("inventory calls answered by the standby", inventoryOk::get, n -> n >= okWhenStopped + 16);
            assertTrue("the standby answered", commands.get().get(1) > whenStopped.get(1));
            assertTrue(failures.toString(), failures.isEmpty());
            String preferredAddress = "127.0.0.1:" + prop(MicrosoftSimulators.PAIR_PREFERRED_PORT);
            String standbyAddress = "127.0.0.1:" + prop(MicrosoftSimulators.PAIR_STANDBY_PORT);
            String away = shell.exec("ems:capabilities " + ems.name());
            String inventoryLine = away.lines().filter(l -> l.strip().startsWith("inventory: ")).findFirst().orElseThrow(() -> new AssertionError(away));
            assertTrue(away, inventoryLine.contains("down " + preferredAddress + " (connection "));
            assertTrue(away, inventoryLine.contains(" since "));
            assertTrue(away, inventoryLine.contains("active " + standbyAddress));
            assertTrue(away, row(away, "inventory").contains("scvmm " + standbyAddress));

            startPreferred.run();
            List<Integer> whenBack = commands.get();
            await("calls back on the preferred listener", commands::get, c -> c.get(0) > whenBack.get(0) + 4);
            String back = shell.exec("ems:capabilities " + ems.name());
            assertTrue(back, back.contains("inventory: active " + preferredAddress + " (connection "));
            assertTrue(back, back.contains("; standby " + standbyAddress + " (connection "));
        } finally {
            stop.set(true);
            for (java.util.concurrent.Future<?> f : futures) {
                // Each call ends within the operation timeout; twice that is a hang.
                f.get(240, java.util.concurrent.TimeUnit.SECONDS);
            }
            threads.shutdownNow();
        }
        assertTrue(failures.toString(), failures.isEmpty());
        assertTrue("power calls succeeded: " + powerOk.get(), powerOk.get() > 0);
        shell.exec("ems:remove " + ems.name());
    }

    /** A wrong password on the preferred connection is a configuration error: reported, and the standby is not used. */
    @Test
    public void j_aWrongPasswordOnThePreferredScvmmServerDoesNotFailOver() throws Exception {
        Ems ems = pairEms("pair-j");
        Supplier<List<Integer>> commands = shared(MicrosoftSimulators.PAIR_COMMANDS);
        var preferred = store.connections(ems.id()).stream().filter(c -> c.priority() == 1).findFirst().orElseThrow();
        var standby = store.connections(ems.id()).stream().filter(c -> c.priority() == 2).findFirst().orElseThrow();
        // The preferred one gets a wrong password before the standby its own right one, so that no
        // call in between could find the standby with the preferred one's credential.
        shell.exec("ems:credential " + ems.name() + " --connection " + preferred.id() + " --user " + prop(MicrosoftSimulators.SCVMM_USER)
                + " --secret-file " + secretFile("not-the-password"));
        shell.exec("ems:credential " + ems.name() + " --connection " + standby.id() + " --user " + prop(MicrosoftSimulators.SCVMM_USER)
                + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCVMM_PASSWORD)));
        int standbyBefore = commands.get().get(1);
        for (int i = 0; i < 3; i++) {
            assertThrows(io.junction.api.AuthenticationException.class, () -> countVms(ems));
        }
        assertEquals("the standby was not asked", standbyBefore, (int) commands.get().get(1));
        shell.exec("ems:remove " + ems.name());
    }

    /**
     * Alerts raised while the preferred SCOM listener is away are read through the standby, from the
     * stored cursor, and when it is back through it again: every alert version stored exactly once.
     */
    @Test
    public void k_eventsMoveToTheStandbyScomServerAndBackWithNothingLostOrStoredTwice() throws Exception {
        String p = MicrosoftSimulators.SCOM_PAIR;
        String name = "pair-k";
        shell.exec("ems:add microsoft " + name);
        shell.exec("ems:connect " + name + " scom 127.0.0.1 --port " + prop(p + "preferredPort") + " --ca-file " + prop(p + "ca"));
        shell.exec("ems:connect " + name + " scom 127.0.0.1 --priority 2 --port " + prop(p + "standbyPort") + " --ca-file " + prop(p + "ca"));
        shell.exec("ems:credential " + name + " --role scom --user " + prop(MicrosoftSimulators.SCOM_USER)
                + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCOM_PASSWORD)));
        Ems ems = store.requireEms(name);
        Runnable nextAlert = shared(MicrosoftSimulators.SCOM_PAIR_NEXT_ALERT);
        Supplier<List<String>> raised = shared(MicrosoftSimulators.SCOM_PAIR_ALERT_VERSIONS);
        Supplier<List<Integer>> commands = shared(p + "commands");
        Runnable stopPreferred = shared(p + "stopPreferred");
        Runnable startPreferred = shared(p + "startPreferred");

        await("the events of '" + name + "' bound", () -> router.matrix(ems.id()), rows -> rows.stream().anyMatch(
                r -> r.capability().equals("events") && r.state().equals(CapabilityBinding.BOUND)));
        nextAlert.run();
        await("the first alert stored through the preferred server", () -> storedIds(ems), ids -> ids.containsAll(raised.get()));
        assertEquals("the standby was not asked", 0, (int) commands.get().get(1));

        // As in f_: the clock never moves past the closing of an alert version not stored yet.
        stopPreferred.run();
        for (int i = 0; i < 3; i++) {
            nextAlert.run();
            await("alerts stored while the preferred server is away", () -> storedIds(ems), ids -> ids.containsAll(raised.get()));
        }
        assertTrue("the standby was asked: " + commands.get(), commands.get().get(1) > 0);

        startPreferred.run();
        List<Integer> whenBack = commands.get();
        await("the subscription back on the preferred server", commands::get, c -> c.get(0) > whenBack.get(0) + 4);
        for (int i = 0; i < 3; i++) {
            nextAlert.run();
            await("alerts stored after the preferred server came back", () -> storedIds(ems), ids -> ids.containsAll(raised.get()));
        }
        Thread.sleep(3000);
        List<String> expected = raised.get();
        assertEquals("each alert version stored exactly once", expected, storedIds(ems).stream().sorted().toList());
        shell.exec("ems:remove " + name);
    }

    /** An EMS on the failover pair: the preferred listener at priority 1, the standby at 2 sharing the role's credential. */
    private Ems pairEms(String name) throws Exception {
        shell.exec("ems:add microsoft " + name);
        shell.exec("ems:connect " + name + " scvmm 127.0.0.1 --port " + prop(MicrosoftSimulators.PAIR_PREFERRED_PORT)
                + " --ca-file " + prop(MicrosoftSimulators.PAIR_CA));
        shell.exec("ems:connect " + name + " scvmm 127.0.0.1 --priority 2 --port " + prop(MicrosoftSimulators.PAIR_STANDBY_PORT)
                + " --ca-file " + prop(MicrosoftSimulators.PAIR_CA));
        shell.exec("ems:credential " + name + " --role scvmm --user " + prop(MicrosoftSimulators.SCVMM_USER)
                + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCVMM_PASSWORD)));
        return store.requireEms(name);
    }

    /** Reads the whole inventory through the router, as a refresh does, and counts its VMs. */
    private int countVms(Ems ems) {
        return router.call(ems.id(), io.junction.api.service.InventoryCapability.class, inv -> {
            int[] vms = new int[1];
            inv.collect(new io.junction.api.inventory.InventorySink() {
                @Override
                public void cluster(ClusterItem cluster) {
                }

                @Override
                public void host(HostItem host) {
                }

                @Override
                public void vm(VmItem vm) {
                    if (!vm.template()) {
                        vms[0]++;
                    }
                }

                @Override
                public void datastore(io.junction.api.inventory.DatastoreItem datastore) {
                }
            });
            return vms[0];
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The right accounts (A on scvmm, B on scom), or the two swapped. */
    private void setCredentials(boolean swapped) throws Exception {
        String vmm = "--user " + prop(MicrosoftSimulators.SCVMM_USER) + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCVMM_PASSWORD));
        String scom = "--user " + prop(MicrosoftSimulators.SCOM_USER) + " --secret-file " + secretFile(prop(MicrosoftSimulators.SCOM_PASSWORD));
        shell.exec("ems:credential " + EMS + " --role scvmm " + (swapped ? scom : vmm));
        shell.exec("ems:credential " + EMS + " --role scom " + (swapped ? vmm : scom));
    }

    /** The SCVMM listener authenticated only account A, the SCOM listener only account B. */
    private void assertOnlyOwnAccounts() {
        Supplier<List<String>> vmmUsers = shared(MicrosoftSimulators.SCVMM_USERS);
        Supplier<List<String>> scomUsers = shared(MicrosoftSimulators.SCOM_USERS);
        List<String> vmm = vmmUsers.get();
        List<String> scom = scomUsers.get();
        assertFalse("SCVMM authenticated someone", vmm.isEmpty());
        assertFalse("SCOM authenticated someone", scom.isEmpty());
        assertTrue("SCVMM authenticated only its account: " + vmm,
                vmm.stream().allMatch(u -> u.equalsIgnoreCase(prop(MicrosoftSimulators.SCVMM_USER))));
        assertTrue("SCOM authenticated only its account: " + scom,
                scom.stream().allMatch(u -> u.equalsIgnoreCase(prop(MicrosoftSimulators.SCOM_USER))));
    }

    private Map<String, String> vmStates() {
        Supplier<Map<String, String>> states = shared(MicrosoftSimulators.SCVMM_VM_STATES);
        return states.get();
    }

    /** An object the simulators' side put into the system properties (a JDK type: see {@link MicrosoftSimulators}). */
    @SuppressWarnings("unchecked")
    private static <T> T shared(String key) {
        Object value = System.getProperties().get(key);
        if (value == null) {
            throw new AssertionError("the simulators did not share " + key);
        }
        return (T) value;
    }

    private static String prop(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new AssertionError("the simulators did not share " + key);
        }
        return value;
    }

    private static int scvmmPort() {
        return Integer.parseInt(prop(MicrosoftSimulators.SCVMM_PORT));
    }

    private static int scomPort() {
        return Integer.parseInt(prop(MicrosoftSimulators.SCOM_PORT));
    }

    /** The provider's jar in the distribution's system/ (what the launcher installs). */
    private static Path providerJar() throws Exception {
        try (Stream<Path> jars = Files.list(Path.of(prop("junction.dist")).resolve("system"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("provider-microsoft-")).findFirst().orElseThrow();
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

    private String status(Ems ems, String role) {
        var connection = store.connections(ems.id()).stream().filter(c -> c.role().equals(role)).findFirst().orElseThrow();
        return store.credentialOf(connection.id()).orElseThrow().status();
    }

    /** Waits until every capability is bound to the Microsoft provider. */
    private void awaitBound(Ems ems) throws Exception {
        await("capabilities of '" + ems.name() + "' bound to " + PROVIDER_BSN, () -> router.matrix(ems.id()),
                rows -> CAPABILITIES.stream().allMatch(c -> rows.stream().anyMatch(r -> r.capability().equals(c)
                        && r.state().equals(CapabilityBinding.BOUND) && PROVIDER_BSN.equals(r.bundle()))));
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
