package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.junction.api.CapabilityUnavailableException;
import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.ProviderTypes;
import io.junction.api.Secret;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityLease;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.store.EmsStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The routing of capabilities, on the distribution's bundles with the test provider (type
 * {@code testbed}) installed, updated and removed at run time: each capability goes through its
 * own connection and credential, connections are verified one by one, a missing piece is named
 * at once, a provider bundle can be swapped under load, and deploy/ installs and removes it.
 *
 * <p>The tests install the test provider themselves and remove it before they end; the methods
 * run in name order and each begins only when no test provider bundle is left. This class
 * uses only Junction's API packages, never the test provider's, so that updating that bundle
 * touches nothing else.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CapabilityRoutingIT {
    private static final String HOME = "capability-routing";
    /** How long something asynchronous may take before the test gives up: generous, never a speed assertion. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> TESTBED_CAPABILITIES = List.of("events", "inventory", "power");

    @Inject
    private CapabilityRouter router;

    @Inject
    private EmsStore store;

    @Inject
    private ProviderTypes providerTypes;

    @Inject
    private CommandProcessor processor;

    @Inject
    private BundleContext bundleContext;

    private GogoShell shell;

    @Configuration
    public Option[] config() {
        return JunctionDistribution.options(JunctionDistribution.freshHome(HOME));
    }

    @Before
    public void noTestProviderYet() throws Exception {
        shell = new GogoShell(processor);
        await("no test provider bundle left from an earlier test", this::testProviderBundles, List::isEmpty);
    }

    // ---- a: routing ---------------------------------------------------------------------------

    @Test
    public void a_eachCapabilityGoesThroughItsOwnConnectionAndCredential() throws Exception {
        Bundle provider = install(TestProviderJars.v1());
        try {
            Ems ems = createTestbedEms("routing", "a.example", "A", "sA", "b.example", "B", "sB");
            awaitBound(ems, "1.0.0");
            Connection a = connection(ems, "a");
            Connection b = connection(ems, "b");

            PowerResult result = router.call(ems.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START));
            String power = result.rawState();
            assertTrue(power, power.startsWith("v1 "));
            assertTrue(power, power.contains("role=a "));
            assertTrue(power, power.contains("conn=" + a.id() + " "));
            assertTrue(power, power.contains("host=a.example "));
            assertTrue(power, power.contains("user=A "));
            assertTrue(power, power.contains("secret=sA "));
            assertTrue(power, power.contains("vm=vm-1 action=start"));
            assertFalse("power never sees role b's credential: " + power, power.contains("sB"));
            assertFalse("power never sees role b's user: " + power, power.contains("user=B"));

            try (CapabilityLease<PowerCapability> lease = router.route(ems.id(), PowerCapability.class)) {
                assertEquals(a.id(), lease.connection().id());
                assertEquals("testbed-a", lease.service());
            }

            List<VmItem> vms = new CopyOnWriteArrayList<>();
            router.call(ems.id(), InventoryCapability.class, inventory -> {
                inventory.collect(new CollectingSink(vms));
                return null;
            });
            assertEquals(1, vms.size());
            String inventory = vms.get(0).name();
            assertTrue(inventory, inventory.contains("role=a conn=" + a.id() + " "));
            assertTrue(inventory, inventory.contains("user=A secret=sA"));
            assertFalse(inventory, inventory.contains("sB"));

            List<EmsEvent> events = new CopyOnWriteArrayList<>();
            try (CapabilityLease<EventCapability> lease = router.route(ems.id(), EventCapability.class)) {
                assertEquals(b.id(), lease.connection().id());
                assertEquals("testbed-b", lease.service());
                try (EventSubscription subscription = lease.capability().subscribe(null, (batch, cursor) -> events.addAll(batch))) {
                    await("an event from the subscription", () -> List.copyOf(events), list -> !list.isEmpty());
                    assertNotNull(subscription);
                }
            }
            String message = events.get(0).message();
            assertTrue(message, message.startsWith("v1 "));
            assertTrue(message, message.contains("role=b "));
            assertTrue(message, message.contains("conn=" + b.id() + " "));
            assertTrue(message, message.contains("host=b.example "));
            assertTrue(message, message.contains("user=B "));
            assertTrue(message, message.endsWith("secret=sB"));
            assertFalse("events never see role a's credential: " + message, message.contains("sA"));
            assertFalse("events never see role a's user: " + message, message.contains("user=A"));

            Map<String, CapabilityBinding> matrix = matrix(ems);
            assertEquals(matrix.toString(), TESTBED_CAPABILITIES, List.copyOf(matrix.keySet()));
            for (String capability : TESTBED_CAPABILITIES) {
                CapabilityBinding row = matrix.get(capability);
                boolean onA = !capability.equals("events");
                assertEquals(row.toString(), CapabilityBinding.BOUND, row.state());
                assertEquals(row.toString(), onA ? "testbed-a" : "testbed-b", row.service());
                assertEquals(row.toString(), onA ? "a" : "b", row.role());
                assertEquals(row.toString(), (onA ? a : b).id(), row.connection().id());
                assertEquals(row.toString(), TestProviderJars.SYMBOLIC_NAME, row.bundle());
                assertEquals(row.toString(), "1.0.0", row.bundleVersion());
            }

            String capabilities = shell.exec("ems:capabilities routing");
            for (String capability : List.of("power", "inventory")) {
                String row = row(capabilities, capability);
                assertTrue(capabilities, row.contains("testbed-a"));
                assertTrue(capabilities, row.contains("a a.example:9001"));
                assertTrue(capabilities, row.contains("io.junction.testprovider 1.0.0"));
                assertTrue(capabilities, row.endsWith("bound"));
            }
            String eventsRow = row(capabilities, "events");
            assertTrue(capabilities, eventsRow.contains("testbed-b"));
            assertTrue(capabilities, eventsRow.contains("b b.example:9002"));
            assertTrue(capabilities, eventsRow.contains("io.junction.testprovider 1.0.0"));
            assertTrue(capabilities, eventsRow.endsWith("bound"));
        } finally {
            uninstall(provider);
        }
    }

    // ---- b: verify, and what is missing --------------------------------------------------------

    @Test
    public void b_verifyChecksEachConnectionAndAMissingPieceIsNamedAtOnce() throws Exception {
        Bundle provider = install(TestProviderJars.v1());
        try {
            Ems good = createTestbedEms("verify-good", "a.example", "A", "sA", "b.example", "B", "sB");
            // ROLE, CONNECTION, SERVICE, RESULT, TIME
            String verified = shell.exec("ems:verify verify-good");
            assertEquals(verified, List.of("a", "a.example:9001", "testbed-a", "ok"), cells(verified, "a").subList(0, 4));
            assertEquals(verified, List.of("b", "b.example:9002", "testbed-b", "ok"), cells(verified, "b").subList(0, 4));
            assertEquals(ConnectionCheck.OK, status(good, "a"));
            assertEquals(ConnectionCheck.OK, status(good, "b"));

            // The b credential's secret is refused; a's own credential still works.
            shell.exec("ems:credential verify-good --role b --user B --secret-file " + secretFile("wrong"));
            routerCaughtUp(good);
            // A check that is not ok fails the command (a script sees exit status 1), the table still printed.
            GogoShell.Outcome failed = shell.failPrinting("ems:verify verify-good");
            assertEquals("1 of 2 connection checks of EMS 'verify-good' failed", failed.error());
            verified = failed.output();
            assertEquals(verified, "ok", cells(verified, "a").get(3));
            assertEquals(verified, "auth-failed (user refused by b.example)", cells(verified, "b").get(3));
            Credential refused = store.credentialOf(connection(good, "b").id()).orElseThrow();
            assertEquals(ConnectionCheck.AUTH_FAILED, refused.status());
            assertEquals("user refused by b.example", refused.statusDetail());
            assertNotNull(refused.checkedAt());
            assertEquals(ConnectionCheck.OK, status(good, "a"));
            String shown = shell.exec("ems:show verify-good");
            assertTrue(shown, rowContaining(shown, "b b.example:9002").contains("auth-failed at "));
            assertTrue(shown, rowContaining(shown, "b b.example:9002").contains("(user refused by b.example)"));
            assertTrue(shown, rowContaining(shown, "a a.example:9001").contains("ok at "));
            assertFalse(shown, shown.contains("wrong"));
            // A failed check is shown as failing until the next call or check succeeds.
            assertEquals(CapabilityBinding.FAILING, matrix(good).get("events").state());
            assertEquals(CapabilityBinding.BOUND, matrix(good).get("power").state());

            Ems bad = createTestbedEms("verify-bad", "x.unreachable", "A", "sA", "untrusted.example", "B", "sB");
            failed = shell.failPrinting("ems:verify verify-bad");
            assertEquals("2 of 2 connection checks of EMS 'verify-bad' failed", failed.error());
            verified = failed.output();
            assertEquals(verified, List.of("a", "x.unreachable:9001", "testbed-a", "unreachable (connection refused by x.unreachable)"),
                    cells(verified, "a").subList(0, 4));
            assertEquals(verified, List.of("b", "untrusted.example:9002", "testbed-b",
                    "tls-untrusted (certificate of untrusted.example is not trusted)"), cells(verified, "b").subList(0, 4));
            assertEquals(ConnectionCheck.UNREACHABLE, status(bad, "a"));
            assertEquals(ConnectionCheck.TLS_UNTRUSTED, status(bad, "b"));
            shown = shell.exec("ems:show verify-bad");
            assertTrue(shown, rowContaining(shown, "a x.unreachable:9001").contains("unreachable at "));
            assertTrue(shown, rowContaining(shown, "b untrusted.example:9002").contains("tls-untrusted at "));
            // One role only, through the API.
            List<ConnectionCheck> checks = router.verify(bad.id(), "a");
            assertEquals(checks.toString(), 1, checks.size());
            assertEquals(ConnectionCheck.UNREACHABLE, checks.get(0).status());
            assertEquals("testbed-a", checks.get(0).service());

            // No b connection: events cannot be routed, and the message says what is missing.
            shell.exec("ems:add testbed verify-no-b");
            Ems noB = store.requireEms("verify-no-b");
            shell.exec("ems:connect verify-no-b a a.example");
            shell.exec("ems:credential verify-no-b --role a --user A --secret-file " + secretFile("sA"));
            routerCaughtUp(noB);
            CapabilityUnavailableException missing = assertThrows(CapabilityUnavailableException.class,
                    () -> router.route(noB.id(), EventCapability.class));
            assertTrue(missing.getMessage(), missing.getMessage().contains("no b connection on EMS 'verify-no-b' for events"));
            assertEquals(CapabilityBinding.NO_CONNECTION, matrix(noB).get("events").state());
            assertTrue(router.call(noB.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START)).rawState()
                    .startsWith("v1 role=a "));

            // A b connection without a credential.
            shell.exec("ems:connect verify-no-b b b.example");
            routerCaughtUp(noB);
            Connection bWithout = connection(noB, "b");
            missing = assertThrows(CapabilityUnavailableException.class, () -> router.route(noB.id(), EventCapability.class));
            assertTrue(missing.getMessage(), missing.getMessage().contains("no credential for the b connection " + bWithout.id()));
            assertEquals(CapabilityBinding.NO_CREDENTIAL, matrix(noB).get("events").state());
            String capabilities = shell.exec("ems:capabilities verify-no-b");
            assertTrue(capabilities, row(capabilities, "events").endsWith("no-credential"));
            assertTrue(capabilities, capabilities.contains("events: no credential for the b connection"));

            // No service at all once the provider is gone.
            uninstall(provider);
            missing = assertThrows(CapabilityUnavailableException.class, () -> router.route(good.id(), EventCapability.class));
            assertTrue(missing.getMessage(), missing.getMessage().contains("no service for testbed/events"));
            missing = assertThrows(CapabilityUnavailableException.class,
                    () -> router.call(good.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START)));
            assertTrue(missing.getMessage(), missing.getMessage().contains("no service for testbed/power"));
            // With the type gone a role cannot be checked against it: the error line quotes it shortened.
            String noRole = shell.fail("ems:disconnect verify-good " + "z".repeat(10_000));
            assertEquals("EMS 'verify-good' has no connection of role '" + "z".repeat(80) + "…' (its provider type 'testbed' is not installed)",
                    noRole);
            capabilities = shell.exec("ems:capabilities verify-good");
            for (String capability : TESTBED_CAPABILITIES) {
                assertTrue(capabilities, row(capabilities, capability).endsWith("no-service"));
            }
        } finally {
            uninstall(provider);
        }
    }

    // ---- c: hot swap under load -----------------------------------------------------------------

    @Test
    public void c_theProviderIsSwappedUnderLoadAndEveryCallEndsCleanly() throws Exception {
        final int threads = 8;
        final int callsPerThread = 1_000;
        // Each thread waits at these points for the main thread's update and reinstall, so that
        // both happen while calls are running and there are calls left for each version.
        final int gateAfterUpdate = 500;
        final int gateAfterReinstall = 800;

        Path v1 = TestProviderJars.v1();
        Path v2 = TestProviderJars.withVersion(v1, "2.0.0", JunctionDistribution.work().resolve("test-provider-2.0.0.jar"));
        assertEquals("2.0.0", TestProviderJars.bundleVersion(v2));
        Bundle provider = install(v1);
        Bundle reinstalled = null;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch updated = new CountDownLatch(1);
        CountDownLatch reinstalledLatch = new CountDownLatch(1);
        AtomicInteger answeredByV1 = new AtomicInteger();
        AtomicInteger answeredByV2 = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger waitingForReinstall = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        Queue<String> otherOutcomes = new ConcurrentLinkedQueue<>();
        try {
            Ems ems = createTestbedEms("swap", "a.example", "A", "sA", "b.example", "B", "sB");
            awaitBound(ems, "1.0.0");
            String before = snapshot();

            for (int t = 0; t < threads; t++) {
                final int thread = t;
                pool.execute(() -> {
                    started.countDown();
                    for (int i = 0; i < callsPerThread; i++) {
                        String call = "thread " + thread + " call " + i;
                        try {
                            if (i == gateAfterUpdate && !updated.await(5, TimeUnit.MINUTES)) {
                                otherOutcomes.add(call + ": the update never came");
                            }
                            if (i == gateAfterReinstall) {
                                waitingForReinstall.incrementAndGet();
                                if (!reinstalledLatch.await(5, TimeUnit.MINUTES)) {
                                    otherOutcomes.add(call + ": the reinstall never came");
                                }
                            }
                        } catch (InterruptedException e) {
                            otherOutcomes.add(call + ": interrupted");
                            return;
                        }
                        String vm = i % 10 == 7 ? "slow-20" : "vm-" + (thread * callsPerThread + i);
                        inFlight.incrementAndGet();
                        try {
                            String raw = router.call(ems.id(), PowerCapability.class, p -> p.perform(vm, PowerAction.START)).rawState();
                            if (raw != null && raw.startsWith("v1 ")) {
                                answeredByV1.incrementAndGet();
                            } else if (raw != null && raw.startsWith("v2 ")) {
                                answeredByV2.incrementAndGet();
                            } else {
                                otherOutcomes.add(call + " answered: " + raw);
                            }
                        } catch (CapabilityUnavailableException e) {
                            unavailable.incrementAndGet();
                        } catch (Throwable e) {
                            otherOutcomes.add(call + " threw " + trace(e));
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                });
            }
            assertTrue("the load threads did not start", started.await(1, TimeUnit.MINUTES));
            await("v1 to answer under load", answeredByV1::get, n -> n >= 100 || !otherOutcomes.isEmpty());

            int inFlightAtUpdate = inFlight.get();
            try (InputStream in = Files.newInputStream(v2)) {
                provider.update(in);
            }
            updated.countDown();
            await("v2 to answer after the update", () -> answeredByV2.get() + "/" + waitingForReinstall.get(),
                    s -> answeredByV2.get() >= 100 || waitingForReinstall.get() == threads);

            int inFlightAtUninstall = inFlight.get();
            provider.uninstall();
            reinstalled = install(v2);
            reinstalledLatch.countDown();

            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                pool.shutdownNow();
                fail("calls hung: v1 " + answeredByV1 + ", v2 " + answeredByV2 + ", unavailable " + unavailable
                        + ", other " + otherOutcomes.size());
            }
            String counts = "v1 " + answeredByV1 + ", v2 " + answeredByV2 + ", unavailable " + unavailable
                    + ", other " + otherOutcomes.size();
            System.out.println("hot swap under load: " + counts + "; calls running when the update began: " + inFlightAtUpdate
                    + ", when the uninstall began: " + inFlightAtUninstall);
            assertTrue("every call answered by v1 or v2 or said unavailable; " + counts + "; first others:\n"
                    + otherOutcomes.stream().limit(5).collect(Collectors.joining("\n")), otherOutcomes.isEmpty());
            assertEquals(counts, threads * callsPerThread, answeredByV1.get() + answeredByV2.get() + unavailable.get());
            assertTrue(counts, answeredByV1.get() > 0);
            assertTrue(counts, answeredByV2.get() > 0);

            awaitBound(ems, "2.0.0");
            String capabilities = shell.exec("ems:capabilities swap");
            for (String capability : TESTBED_CAPABILITIES) {
                assertTrue(capabilities, row(capabilities, capability).contains("io.junction.testprovider 2.0.0"));
                assertTrue(capabilities, row(capabilities, capability).endsWith("bound"));
            }
            assertTrue(router.call(ems.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START)).rawState()
                    .startsWith("v2 role=a "));
            assertEquals("stored data is untouched by the swap", before, snapshot());
            assertProbeNotWiredToTheTestProvider();
        } finally {
            updated.countDown();
            reinstalledLatch.countDown();
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            uninstall(provider);
            uninstall(reinstalled);
        }
    }

    // ---- d: deploy/ -------------------------------------------------------------------------------

    @Test
    public void d_aJarInDeployIsInstalledAndItsRemovalUnbindsItsCapabilities() throws Exception {
        Path deploy = Path.of(bundleContext.getProperty("junction.home")).resolve("deploy");
        assertTrue(deploy.toString(), Files.isDirectory(deploy));
        Path jar = deploy.resolve("test-provider.jar");
        try {
            // Written aside and moved in, so that File Install never sees half a jar.
            Path part = deploy.resolve("test-provider.jar.part");
            Files.copy(TestProviderJars.v1(), part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);

            await("provider type testbed from deploy/", () -> providerTypes.find("testbed").isPresent(), present -> present);
            Ems ems = createTestbedEms("deployed", "a.example", "A", "sA", "b.example", "B", "sB");
            await("ems:capabilities to show the deployed bundle bound", () -> shell.exec("ems:capabilities deployed"),
                    out -> TESTBED_CAPABILITIES.stream().allMatch(c -> rowOrEmpty(out, c).endsWith("bound")
                            && rowOrEmpty(out, c).contains("io.junction.testprovider 1.0.0")));
            List<Bundle> deployed = testProviderBundles();
            assertEquals(deployed.toString(), 1, deployed.size());
            assertTrue(deployed.get(0).getLocation(), deployed.get(0).getLocation().contains("deploy"));
            assertTrue(router.call(ems.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START)).rawState()
                    .startsWith("v1 role=a "));

            Files.delete(jar);
            await("ems:capabilities to show no service once the jar is gone", () -> shell.exec("ems:capabilities deployed"),
                    out -> TESTBED_CAPABILITIES.stream().allMatch(c -> rowOrEmpty(out, c).endsWith("no-service")));
            CapabilityUnavailableException gone = assertThrows(CapabilityUnavailableException.class,
                    () -> router.route(ems.id(), PowerCapability.class));
            assertTrue(gone.getMessage(), gone.getMessage().contains("no service for testbed/power"));
        } finally {
            Files.deleteIfExists(jar);
            await("File Install to remove the test provider", this::testProviderBundles, List::isEmpty);
        }
    }

    // ---- e: a change reaches the next call ---------------------------------------------------------

    @Test
    public void e_aChangedConnectionOrCredentialIsUsedByTheNextCall() throws Exception {
        final int threads = 8;
        final int rounds = 200;
        Bundle provider = install(TestProviderJars.v1());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> otherOutcomes = new ConcurrentLinkedQueue<>();
        try {
            Ems ems = createTestbedEms("changing", "a.example", "A", "sA", "b.example", "B", "sB");
            awaitBound(ems, "1.0.0");
            Connection a = connection(ems, "a");
            // Calls keep coming while the connection and its credential change.
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    while (!stop.get()) {
                        try {
                            router.call(ems.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START));
                        } catch (CapabilityUnavailableException e) {
                            // the EMS kept changing while binding: allowed
                        } catch (Throwable e) {
                            otherOutcomes.add(trace(e));
                        }
                    }
                });
            }
            List<String> stale = new CopyOnWriteArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String host = "h" + round + ".example";
                String user = "U" + round;
                store.updateConnection(a.id(), ConnectionSpec.of("a", host));
                store.setCredential(ems.id(), a.id(), new CredentialSpec(CredentialKind.PASSWORD, user, Secret.of(("s" + round).toCharArray())));
                String raw = router.call(ems.id(), PowerCapability.class, p -> p.perform("vm-1", PowerAction.START)).rawState();
                if (!raw.contains("host=" + host + " user=" + user + " secret=s" + round + " ")) {
                    stale.add("round " + round + ": " + raw);
                }
            }
            stop.set(true);
            pool.shutdown();
            assertTrue("calls hung", pool.awaitTermination(5, TimeUnit.MINUTES));
            assertTrue(otherOutcomes.stream().limit(3).collect(Collectors.joining("\n")), otherOutcomes.isEmpty());
            assertTrue(stale.size() + " of " + rounds + " calls right after a change went through the connection or credential"
                    + " from before it:\n" + stale.stream().limit(5).collect(Collectors.joining("\n")), stale.isEmpty());
        } finally {
            stop.set(true);
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            uninstall(provider);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Bundle install(Path jar) throws Exception {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = bundleContext.installBundle(jar.toUri().toString(), in);
        }
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            uninstall(bundle);
            throw e;
        }
        return bundle;
    }

    private static void uninstall(Bundle bundle) throws BundleException {
        if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
            try {
                bundle.uninstall();
            } catch (IllegalStateException alreadyGone) {
                // uninstalled meanwhile
            }
        }
    }

    /** The probe (this class's bundle) uses only API packages: swapping the test provider never refreshes it. */
    private void assertProbeNotWiredToTheTestProvider() {
        Bundle probe = FrameworkUtil.getBundle(CapabilityRoutingIT.class);
        assertEquals(Bundle.ACTIVE, probe.getState());
        BundleWiring wiring = probe.adapt(BundleWiring.class);
        assertTrue("the probe's wiring is current", wiring != null && wiring.isCurrent());
        List<String> providers = wiring.getRequiredWires(null).stream()
                .map(w -> w.getProvider().getBundle().getSymbolicName()).toList();
        assertFalse(providers.toString(), providers.contains(TestProviderJars.SYMBOLIC_NAME));
    }

    private List<Bundle> testProviderBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> TestProviderJars.SYMBOLIC_NAME.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED)
                .toList();
    }

    /** An EMS of type testbed with a role-a and a role-b connection, each with its own credential, as an operator adds it. */
    private Ems createTestbedEms(String name, String aHost, String aUser, String aSecret, String bHost, String bUser,
                                 String bSecret) throws Exception {
        await("provider type testbed", () -> providerTypes.find("testbed").isPresent(), present -> present);
        shell.exec("ems:add testbed " + name);
        shell.exec("ems:connect " + name + " a " + aHost);
        shell.exec("ems:connect " + name + " b " + bHost);
        shell.exec("ems:credential " + name + " --role a --user " + aUser + " --secret-file " + secretFile(aSecret));
        shell.exec("ems:credential " + name + " --role b --user " + bUser + " --secret-file " + secretFile(bSecret));
        Ems ems = store.requireEms(name);
        routerCaughtUp(ems);
        return ems;
    }

    /** Right after a change, the router binds what the store holds: no view from before the change is kept. */
    private void routerCaughtUp(Ems ems) {
        assertTrue("the router still binds EMS '" + ems.name() + "' as it was before the last change:\n" + describe(router.matrix(ems.id()))
                + "\nstored connections: " + store.connections(ems.id()), routerSeesTheStore(ems));
    }

    /** Whether the router binds each capability through the connection the store has for its role, and knows of its credential. */
    private boolean routerSeesTheStore(Ems ems) {
        List<Connection> connections = store.connections(ems.id());
        for (CapabilityBinding row : router.matrix(ems.id())) {
            if (row.role() == null) {
                continue;
            }
            Connection expected = connections.stream().filter(c -> c.role().equals(row.role()))
                    .min((x, y) -> Boolean.compare(y.defaultForRole(), x.defaultForRole())).orElse(null);
            if (!java.util.Objects.equals(expected, row.connection())) {
                return false;
            }
            if (expected == null || row.state().equals(CapabilityBinding.NO_SERVICE)) {
                continue;
            }
            boolean stored = store.credentialOf(expected.id()).isPresent();
            if (stored == row.state().equals(CapabilityBinding.NO_CREDENTIAL)) {
                return false;
            }
        }
        return true;
    }

    private Connection connection(Ems ems, String role) {
        return store.connections(ems.id()).stream().filter(c -> c.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("EMS '" + ems.name() + "' has no " + role + " connection"));
    }

    /** The stored outcome of the last check of the credential of the EMS's connection of that role. */
    private String status(Ems ems, String role) {
        Connection connection = connection(ems, role);
        return store.credentialOf(connection.id()).map(Credential::status)
                .orElseThrow(() -> new AssertionError("connection " + connection + " has no credential"));
    }

    private Map<String, CapabilityBinding> matrix(Ems ems) {
        return router.matrix(ems.id()).stream().collect(Collectors.toMap(CapabilityBinding::capability, b -> b,
                (x, y) -> x, java.util.TreeMap::new));
    }

    /** Waits until every capability of the testbed type is bound to the test provider of that version. */
    private void awaitBound(Ems ems, String bundleVersion) throws Exception {
        await("capabilities of '" + ems.name() + "' bound to " + TestProviderJars.SYMBOLIC_NAME + " " + bundleVersion,
                () -> router.matrix(ems.id()), rows -> TESTBED_CAPABILITIES.stream().allMatch(c -> rows.stream().anyMatch(
                        r -> r.capability().equals(c) && r.state().equals(CapabilityBinding.BOUND)
                                && TestProviderJars.SYMBOLIC_NAME.equals(r.bundle()) && bundleVersion.equals(r.bundleVersion()))));
    }

    /** Everything stored, as text. */
    private String snapshot() {
        return store.listEms().stream().map(e -> e + "\n" + store.connections(e.id()) + "\n" + store.credentials(e.id()))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Polls until the sample satisfies the condition, for at most {@link #PATIENCE}; fails with the
     * last sample (or the last error taking it).
     */
    private static <T> T await(String what, Callable<T> sample, Predicate<? super T> done) throws Exception {
        return Await.until(what, PATIENCE, sample, done, CapabilityRoutingIT::describe);
    }

    private static String describe(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        }
        return String.valueOf(value);
    }

    /** The line of a table whose first column is the given word. */
    private static String row(String table, String first) {
        String row = rowOrEmpty(table, first);
        if (row.isEmpty()) {
            throw new AssertionError("no row '" + first + "' in:\n" + table);
        }
        return row;
    }

    /** The cells of a table row (columns are separated by two or more blanks). */
    private static List<String> cells(String table, String first) {
        return List.of(row(table, first).split(" {2,}"));
    }

    private static String rowOrEmpty(String table, String first) {
        return table.lines().filter(l -> l.startsWith(first + " ")).findFirst().orElse("").strip();
    }

    /** The line of a text that contains the given text. */
    private static String rowContaining(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + part + "' in:\n" + text));
    }

    private static Path secretFile(String content) throws Exception {
        return JunctionDistribution.secretFile(content + "\n");
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Keeps the VMs of an inventory snapshot. */
    private static final class CollectingSink implements InventorySink {
        private final List<VmItem> vms;

        CollectingSink(List<VmItem> vms) {
            this.vms = vms;
        }

        @Override
        public void cluster(ClusterItem cluster) {
        }

        @Override
        public void host(HostItem host) {
        }

        @Override
        public void vm(VmItem vm) {
            vms.add(vm);
        }

        @Override
        public void datastore(DatastoreItem datastore) {
        }
    }
}
