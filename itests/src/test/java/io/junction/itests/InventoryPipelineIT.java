package io.junction.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.ProviderTypes;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import io.junction.api.inventory.RefreshStatus;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.EmsEvent;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.store.StoredEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The inventory and event pipelines end to end, on the distribution's bundles with the synthetic
 * provider (type {@code synthetic}, role {@code sim}) installed at run time: a refresh stores
 * exactly what the provider reported and says what it changed, a failing provider leaves the
 * previous inventory, one refresh per EMS runs at a time, power actions reach the provider and
 * the store, and events are stored once each, in order, across a hot swap of the provider.
 *
 * <p>Every expectation is computed from the shape in the connection's path (see the synthetic
 * provider): clusters, hosts and templates as given, one datastore, and VM {@code i} named
 * {@code vm%07d}, referenced {@code vm-%07d}, in state on, off, suspended for {@code i % 3} = 0, 1, 2.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InventoryPipelineIT {
    private static final String HOME = "inventory-pipeline";
    /** How long something asynchronous may take before the test gives up: generous, never a speed assertion. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> SYNTHETIC_CAPABILITIES = List.of("events", "inventory", "power");
    private static final String TOPIC_REFRESHED = "junction/inventory/REFRESHED";
    private static final String TOPIC_REFRESH_FAILED = "junction/inventory/REFRESH_FAILED";
    private static final Pattern EVENT_ID = Pattern.compile("evt-([0-9]+)");

    /** The synthetic provider bundle, installed once for the class (the framework lives as long). */
    private static Bundle synthetic;

    @Inject
    private CommandProcessor processor;

    @Inject
    private BundleContext bundleContext;

    @Inject
    private EmsStore store;

    @Inject
    private InventoryStore inventory;

    @Inject
    private EventStore events;

    @Inject
    private RefreshPipeline pipeline;

    @Inject
    private CapabilityRouter router;

    @Inject
    private ProviderTypes providerTypes;

    private GogoShell shell;

    @Configuration
    public Option[] config() {
        return JunctionDistribution.options(JunctionDistribution.freshHome(HOME));
    }

    @Before
    public void syntheticProviderInstalled() throws Exception {
        shell = new GogoShell(processor);
        synchronized (InventoryPipelineIT.class) {
            if (synthetic == null) {
                synthetic = install(syntheticJar());
            }
        }
        await("provider type synthetic", () -> providerTypes.find("synthetic").isPresent(), present -> present);
    }

    // ---- a full refresh, and the listing commands -----------------------------------------------

    @Test
    public void aFullRefreshStoresExactlyTheShapeAndTheCommandsListIt() throws Exception {
        int vms = 3000;
        int hosts = 30;
        int clusters = 3;
        int templates = 4;
        try (Recorder recorder = record(TOPIC_REFRESHED)) {
            Ems ems = syntheticEms("shape", "/vms=" + vms + "/hosts=" + hosts + "/clusters=" + clusters + "/templates=" + templates);
            long total = clusters + hosts + vms + templates + 1;

            String refreshed = shell.exec("ems:refresh shape");
            assertTrue(refreshed, refreshed.contains("Refreshed EMS 'shape': "
                    + String.format("%,d created, %,d updated, %,d deleted, %,d unchanged", total, 0, 0, 0)));
            assertTrue(refreshed, refreshed.contains(String.format("now %,d clusters, %,d hosts, %,d VMs, %,d templates, 1 datastore",
                    clusters, hosts, vms, templates)));
            assertArrayEquals(new long[] {clusters, hosts, vms, templates, 1}, inventory.counts(ems.id()));
            assertEquals(RefreshStatus.OK, inventory.lastRefresh(ems.id()).status());

            Event posted = recorder.await(ems, TOPIC_REFRESHED);
            assertEquals(posted.toString(), total, posted.getProperty("created"));
            assertEquals(posted.toString(), 0L, posted.getProperty("updated"));
            assertEquals(posted.toString(), 0L, posted.getProperty("deleted"));
            assertEquals(posted.toString(), 0L, posted.getProperty("unchanged"));
            assertEquals(posted.toString(), "shape", posted.getProperty("ems.name"));
            assertEquals(posted.toString(), "synthetic", posted.getProperty("ems.type"));

            // ems:vms: the first 100 by name, and a note that there are more
            String listed = shell.exec("ems:vms shape");
            assertEquals(listed, names(IntStream.range(0, 100)), column(listed, 0));
            assertTrue(listed, listed.strip().endsWith("(first 100 shown; use --limit or --filter)"));
            List<String> first = cells(rows(listed).get(0));
            assertEquals(listed, List.of("vm0000000", "vm-0000000", "on", "Running", "host-0", "1", "512", "10.0.0.0"), first);

            String all = shell.exec("ems:vms --limit " + vms + " shape");
            assertEquals(vms, rows(all).size());
            assertFalse(all, all.contains("(first "));

            assertEquals(names(IntStream.range(0, 5)), column(shell.exec("ems:vms --limit 5 shape"), 0));
            // by name, by reference, whatever the case
            assertEquals(names(IntStream.range(120, 130)), column(shell.exec("ems:vms --filter vm000012 shape"), 0));
            assertEquals(names(IntStream.range(120, 130)), column(shell.exec("ems:vms --filter VM-000012 shape"), 0));
            // by state, alone and with a filter
            String on = shell.exec("ems:vms --state on --limit 9999 shape");
            assertEquals(names(IntStream.range(0, vms).filter(i -> i % 3 == 0)), column(on, 0));
            assertEquals(Set.of("on"), Set.copyOf(column(on, 2)));
            assertEquals(names(IntStream.range(120, 130).filter(i -> i % 3 == 1)),
                    column(shell.exec("ems:vms --filter vm000012 --state OFF shape"), 0));
            assertEquals(names(IntStream.range(0, 100).filter(i -> i % 3 == 2)),
                    column(shell.exec("ems:vms -f vm00000 -s suspended -l 9999 shape"), 0));
            assertTrue(shell.exec("ems:vms --filter nosuchvm shape").contains("No VMs match in EMS 'shape'"));

            String listedTemplates = shell.exec("ems:templates shape");
            assertEquals(listedTemplates, List.of("Template 0", "Template 1", "Template 2", "Template 3"), column(listedTemplates, 0));
            assertEquals(listedTemplates, List.of("template-0", "template-1", "template-2", "template-3"), column(listedTemplates, 1));
            assertEquals(List.of("Template 2"), column(shell.exec("ems:templates --filter template-2 shape"), 0));
            assertEquals(2, rows(shell.exec("ems:templates --limit 2 shape")).size());

            String listedHosts = shell.exec("ems:hosts shape");
            Map<String, String> clusterOfHost = new TreeMap<>();
            for (String row : rows(listedHosts)) {
                List<String> cells = cells(row);
                clusterOfHost.put(cells.get(1), cells.get(2));
            }
            Map<String, String> expectedHosts = new TreeMap<>();
            IntStream.range(0, hosts).forEach(h -> expectedHosts.put("host-" + h, "Cluster " + (h % clusters)));
            assertEquals(listedHosts, expectedHosts, clusterOfHost);

            String listedClusters = shell.exec("ems:clusters shape");
            assertEquals(listedClusters, List.of("Cluster 0", "Cluster 1", "Cluster 2"), column(listedClusters, 0));
            assertEquals(listedClusters, List.of("cluster-0", "cluster-1", "cluster-2"), column(listedClusters, 1));

            String before = inventorySnapshot(ems).toString();
            oneLineError("ems:vms --state bogus shape", "unknown state 'bogus'; states: on, off, suspended, unknown");
            oneLineError("ems:vms --limit 0 shape", "--limit expects a number from 1 to 9999999, got '0'");
            oneLineError("ems:vms --limit many shape", "--limit expects a number from 1 to 9999999, got 'many'");
            oneLineError("ems:templates --limit 0 shape", "--limit expects a number from 1 to 9999999, got '0'");
            oneLineError("ems:events --tail 0 shape", "--tail expects a number from 1 to 9999999, got '0'");
            oneLineError("ems:vms nosuch", "no EMS with id or name 'nosuch'");
            oneLineError("ems:hosts nosuch", "no EMS with id or name 'nosuch'");
            oneLineError("ems:refresh nosuch", "no EMS with id or name 'nosuch'");
            assertEquals("bad input changes nothing", before, inventorySnapshot(ems).toString());
        }
    }

    // ---- what a second refresh changes ---------------------------------------------------------

    @Test
    public void aSecondRefreshWritesExactlyTheDifferenceAndAnUnchangedOneWritesNothing() throws Exception {
        int vms = 2000;
        double add = 0.02;
        try (Recorder recorder = record(TOPIC_REFRESHED)) {
            Ems ems = syntheticEms("diff", "/vms=" + vms + "/hosts=20/clusters=2/change=0.05/add=" + add + "/remove=0.03");
            RefreshResult first = pipeline.refresh(ems.id(), (seen, written) -> { });
            long total0 = 2 + 20 + vms + 4 + 1;
            assertEquals(new RefreshCounts(total0, 0, 0, 0, 0), first.counts());
            assertFalse(first.joined());
            Map<String, Object> before = inventorySnapshot(ems);
            assertEquals(total0, before.size());

            // The provider's next snapshot: the fractions of VMs changed, added and removed.
            RefreshCounts second = pipeline.refresh(ems.id(), (seen, written) -> { }).counts();
            Map<String, Object> after = inventorySnapshot(ems);
            Set<String> created = new HashSet<>(after.keySet());
            created.removeAll(before.keySet());
            Set<String> deleted = new HashSet<>(before.keySet());
            deleted.removeAll(after.keySet());
            long updated = after.keySet().stream().filter(before::containsKey).filter(k -> !before.get(k).equals(after.get(k))).count();
            long unchanged = after.keySet().stream().filter(before::containsKey).filter(k -> before.get(k).equals(after.get(k))).count();

            // What the refresh says it did is what the stored inventory shows it did...
            String counts = second.toString();
            assertEquals(counts, created.size(), second.created());
            assertEquals(counts, deleted.size(), second.deleted());
            assertEquals(counts, updated, second.updated());
            assertEquals(counts, unchanged, second.unchanged());
            assertEquals(counts, 0, second.skipped());
            assertEquals(counts, after.size(), second.created() + second.updated() + second.unchanged());
            assertEquals(counts, before.size() - deleted.size(), second.updated() + second.unchanged());
            // ...and what the shape asks for: VMs vm-0002000 on added, some removed and changed, nothing else touched.
            long added = Math.round(vms * add);
            assertEquals(created.toString(), IntStream.range(vms, vms + (int) added).mapToObj(i -> String.format("vm:vm-%07d", i))
                    .collect(Collectors.toSet()), created);
            assertTrue(counts, second.deleted() > 0 && second.updated() > 0);
            assertTrue(deleted.toString(), deleted.stream().allMatch(k -> k.startsWith("vm:vm-")));
            assertArrayEquals(new long[] {2, 20, vms + added - deleted.size(), 4, 1}, inventory.counts(ems.id()));

            List<Event> posted = recorder.await(ems, TOPIC_REFRESHED, 2);
            Event last = posted.get(1);
            assertEquals(last.toString(), second.created(), last.getProperty("created"));
            assertEquals(last.toString(), second.updated(), last.getProperty("updated"));
            assertEquals(last.toString(), second.deleted(), last.getProperty("deleted"));
            assertEquals(last.toString(), second.unchanged(), last.getProperty("unchanged"));
            String shown = shell.exec("ems:show diff");
            assertTrue(shown, shown.contains(": ok (" + second.created() + " created, " + second.updated() + " updated, "
                    + second.deleted() + " deleted, " + second.unchanged() + " unchanged in "));

            // A provider whose inventory does not change: the next refresh writes nothing.
            Ems steady = syntheticEms("steady", "/vms=1000/hosts=10/clusters=2");
            long total = 2 + 10 + 1000 + 4 + 1;
            assertEquals(new RefreshCounts(total, 0, 0, 0, 0), pipeline.refresh(steady.id(), (seen, written) -> { }).counts());
            Map<String, Object> stored = inventorySnapshot(steady);
            assertEquals(new RefreshCounts(0, 0, 0, total, 0), pipeline.refresh(steady.id(), (seen, written) -> { }).counts());
            assertEquals(stored, inventorySnapshot(steady));
            Event again = recorder.await(steady, TOPIC_REFRESHED, 2).get(1);
            assertEquals(again.toString(), 0L, again.getProperty("created"));
            assertEquals(again.toString(), 0L, again.getProperty("updated"));
            assertEquals(again.toString(), 0L, again.getProperty("deleted"));
            assertEquals(again.toString(), total, again.getProperty("unchanged"));
        }
    }

    // ---- a provider failing mid-stream ---------------------------------------------------------

    @Test
    public void aProviderFailingMidStreamLeavesThePreviousInventoryWhole() throws Exception {
        try (Recorder recorder = record("junction/inventory/*")) {
            Ems ems = syntheticEms("midfail", "/vms=1000/hosts=10/clusters=2");
            shell.exec("ems:refresh midfail");
            long[] counts = {2, 10, 1000, 4, 1};
            assertArrayEquals(counts, inventory.counts(ems.id()));
            Map<String, Object> before = inventorySnapshot(ems);

            // The same server now reports more of everything, then fails after 1500 VMs: the new
            // cluster and hosts and the first batches of VMs reached the database before the failure.
            shell.exec("ems:disconnect midfail sim");
            shell.exec("ems:connect midfail sim sim.example --path /vms=2000/hosts=12/clusters=3/failAt=1500");
            shell.exec("ems:credential midfail --role sim --user sim-reader --secret-file " + secretFile("sim-secret"));
            awaitBound(ems);

            String message = oneLineError("ems:refresh midfail", "refresh of EMS 'midfail' failed, the previous inventory stays: ");
            assertTrue(message, message.contains("synthetic provider failed after 1500 VMs"));
            assertArrayEquals(counts, inventory.counts(ems.id()));
            assertEquals("the stored inventory is the previous one, row for row", before, inventorySnapshot(ems));

            RefreshStatus status = inventory.lastRefresh(ems.id());
            assertEquals(RefreshStatus.FAILED, status.status());
            String shown = shell.exec("ems:show midfail");
            String refreshLine = shown.lines().filter(l -> l.startsWith("Last refresh ")).findFirst().orElse("");
            assertTrue(shown, refreshLine.contains(": failed (synthetic provider failed after 1500 VMs"));
            assertTrue(shown, shown.contains("Inventory 2 clusters, 10 hosts, 1,000 VMs, 4 templates, 1 datastore"));

            Event failed = recorder.await(ems, TOPIC_REFRESH_FAILED);
            assertTrue(failed.toString(), String.valueOf(failed.getProperty("error")).contains("failed after 1500 VMs"));
            assertEquals("only the good refresh was announced as done", 1, recorder.of(ems, TOPIC_REFRESHED).size());
        }
    }

    // ---- one refresh per EMS at a time -----------------------------------------------------------

    @Test
    public void twoRefreshesOfOneEmsAtOnceDoTheWorkOnce() throws Exception {
        try (Recorder recorder = record(TOPIC_REFRESHED)) {
            Ems ems = syntheticEms("twice", "/vms=20000/hosts=200/clusters=5");
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger joinedCalls = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<RefreshResult> refresh = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return pipeline.refresh(ems.id(), new RefreshPipeline.Progress() {
                        @Override
                        public void progress(long seen, long written) {
                        }

                        @Override
                        public void joined() {
                            joinedCalls.incrementAndGet();
                        }
                    });
                };
                Future<RefreshResult> a = pool.submit(refresh);
                Future<RefreshResult> b = pool.submit(refresh);
                RefreshResult ra = a.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                RefreshResult rb = b.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                String results = ra + " / " + rb;
                assertNotEquals("exactly one did the work, the other joined it: " + results, ra.joined(), rb.joined());
                assertEquals(results, 1, joinedCalls.get());
                assertEquals(results, ra.counts(), rb.counts());
                assertEquals(results, new RefreshCounts(5 + 200 + 20000 + 4 + 1, 0, 0, 0, 0), ra.counts());
            } finally {
                pool.shutdownNow();
            }
            assertArrayEquals(new long[] {5, 200, 20000, 4, 1}, inventory.counts(ems.id()));
            recorder.await(ems, TOPIC_REFRESHED);
            assertEquals("one refresh ran", 1, recorder.of(ems, TOPIC_REFRESHED).size());
        }
    }

    /**
     * A refresh holds its rows locked until it commits; the rows of other EMSs must stay readable
     * meanwhile (Derby would otherwise trade the refresh's row locks for a lock on the whole
     * table once it holds a few thousand).
     */
    @Test
    public void aLongRefreshOfOneEmsDoesNotHoldUpReadingAnother() throws Exception {
        Ems bystander = syntheticEms("bystander", "/vms=100/hosts=2/clusters=1");
        pipeline.refresh(bystander.id(), (seen, written) -> { });
        Ems busy = syntheticEms("busy", "/vms=60000/hosts=10/clusters=1/pace=10000");
        CountDownLatch writing = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RefreshResult> refresh = pool.submit(() -> pipeline.refresh(busy.id(), new RefreshPipeline.Progress() {
                @Override
                public void progress(long seen, long written) {
                    if (written >= 8000) {
                        writing.countDown();
                    }
                }
            }));
            assertTrue("the busy EMS's refresh has written 8,000 rows", writing.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            List<VmItem> read = inventory.vms(bystander.id(), new VmQuery(false, null, null, 1000));
            String shown = shell.exec("ems:vms bystander --state on --limit 2") + shell.exec("ems:hosts bystander") + shell.exec("ems:show bystander");
            boolean stillRunning = !refresh.isDone();
            assertEquals(100, read.size());
            assertTrue(shown, shown.contains("vm-0000000") && shown.contains("vm-0000003") && shown.contains("host-1")
                    && shown.contains("Inventory 1 cluster, 2 hosts, 100 VMs, 4 templates, 1 datastore"));
            assertTrue("the bystander's VMs were read while the busy refresh was still running", stillRunning);
            assertEquals(new RefreshCounts(1 + 10 + 60000 + 4 + 1, 0, 0, 0, 0), refresh.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).counts());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- power ------------------------------------------------------------------------------

    @Test
    public void powerActionsReachTheProviderAndTheStore() throws Exception {
        Ems ems = syntheticEms("power", "/vms=30/hosts=3");
        shell.exec("ems:refresh power");
        assertEquals(PowerState.ON, vm(ems, "vm-0000003").powerState());

        // by name
        String stopped = shell.exec("ems:power power vm0000003 stop");
        assertEquals("VM 'vm0000003' (vm-0000003): stop done; now off (PowerOff)", stopped.strip());
        assertEquals(PowerState.OFF, vm(ems, "vm-0000003").powerState());
        assertEquals("PowerOff", vm(ems, "vm-0000003").rawState());
        assertEquals(List.of("vm0000003", "vm-0000003", "off", "PowerOff"),
                cells(rows(shell.exec("ems:vms --filter vm0000003 power")).get(0)).subList(0, 4));

        // by reference
        assertEquals(PowerState.OFF, vm(ems, "vm-0000004").powerState());
        shell.exec("ems:power power vm-0000004 suspend");
        assertEquals(PowerState.SUSPENDED, vm(ems, "vm-0000004").powerState());
        assertEquals(List.of("vm0000004", "vm-0000004", "suspended", "Saved"),
                cells(rows(shell.exec("ems:vms --filter vm-0000004 power")).get(0)).subList(0, 4));
        shell.exec("ems:power power vm-0000004 resume");
        assertTrue(column(shell.exec("ems:vms --state on power"), 0).contains("vm0000004"));

        String before = inventorySnapshot(ems).toString();
        oneLineError("ems:power power nosuchvm start", "EMS 'power' has no VM 'nosuchvm' (see ems:vms power, or refresh it)");
        oneLineError("ems:power power template-0 start", "'template-0' is a template; power actions apply to VMs");
        oneLineError("ems:power power \"Template 1\" stop", "'Template 1' is a template; power actions apply to VMs");
        oneLineError("ems:power power vm0000003 explode",
                "unknown power action 'explode'; actions: start, stop, shutdown, suspend, resume, restart, reset");
        oneLineError("ems:power nosuch vm0000003 start", "no EMS with id or name 'nosuch'");
        assertEquals("refused power actions change nothing", before, inventorySnapshot(ems).toString());

        // A provider that supports fewer actions says which.
        Bundle testProvider = install(Path.of(requiredProperty("junction.testprovider.jar")));
        try {
            await("provider type testbed", () -> providerTypes.find("testbed").isPresent(), present -> present);
            shell.exec("ems:add testbed powerbed");
            shell.exec("ems:connect powerbed a a.example");
            shell.exec("ems:credential powerbed --role a --user A --secret-file " + secretFile("sA"));
            Ems bed = store.requireEms("powerbed");
            await("power and inventory of 'powerbed' bound", () -> router.matrix(bed.id()), rows -> rows.stream()
                    .filter(r -> !r.capability().equals("events")).allMatch(r -> r.state().equals(CapabilityBinding.BOUND)));
            shell.exec("ems:refresh powerbed");
            VmItem bedVm = vm(bed, "vm-1");
            oneLineError("ems:power powerbed vm-1 suspend",
                    "action 'suspend' is not supported by provider type 'testbed'; supported: restart, start, stop");
            assertEquals(bedVm, vm(bed, "vm-1"));
            assertTrue(shell.exec("ems:power powerbed vm-1 stop").contains("stop done; now off"));
            assertEquals(PowerState.OFF, vm(bed, "vm-1").powerState());
        } finally {
            testProvider.uninstall();
        }
    }

    // ---- events ------------------------------------------------------------------------------

    @Test
    public void eventsAreStoredOnceEachInOrderAcrossAHotSwapOfTheProvider() throws Exception {
        String name = "ev-hotswap";
        try (Recorder recorder = record("junction/event/synthetic/*")) {
            Ems ems = syntheticEms(name, "/vms=10/hosts=1/events=50");
            await("ems:events to show events", () -> shell.exec("ems:events " + name), out -> out.contains("(evt-1)"));
            String shown = shell.exec("ems:events --tail 5 " + name);
            assertEquals(shown, 5, shown.lines().filter(l -> l.contains("  synthetic  vm.")).count());

            long beforeSwap = await("100 events stored", () -> events.count(ems.id()), n -> n >= 100);
            assertContiguous(ems);
            await("events on EventAdmin of both types", () -> recorder.of(ems, null),
                    list -> list.stream().anyMatch(e -> e.getTopic().equals("junction/event/synthetic/vm/alert"))
                            && list.stream().anyMatch(e -> e.getTopic().equals("junction/event/synthetic/vm/power_off")));
            Event alert = recorder.of(ems, null).stream().filter(e -> e.getTopic().endsWith("/vm/alert")).findFirst().orElseThrow();
            assertEquals(alert.toString(), name, alert.getProperty("ems.name"));
            assertEquals(alert.toString(), "synthetic", alert.getProperty("source"));
            assertEquals(alert.toString(), "vm.alert", alert.getProperty("event.type"));
            assertTrue(alert.toString(), EVENT_ID.matcher(String.valueOf(alert.getProperty("provider.event.id"))).matches());

            // The provider bundle is replaced while events flow: the subscription ends with the old
            // bundle's service and starts again on the new one from the stored cursor.
            Path log = Path.of(bundleContext.getProperty("junction.home")).resolve("data/log/junction.log");
            long logAtSwap = Files.size(log);
            try (InputStream in = Files.newInputStream(syntheticJar())) {
                synthetic.update(in);
            }
            awaitBound(ems);
            long atSwap = events.count(ems.id());
            await("100 events more after the update", () -> events.count(ems.id()), n -> n >= Math.max(beforeSwap, atSwap) + 100);
            // The cursor is stored with its batch: every event up to it is there (and more may have come since).
            long cursor = Long.parseLong(events.cursor(ems.id()).orElseThrow());
            long stored = assertContiguous(ems);
            assertTrue("events up to the cursor " + cursor + " are stored; stored " + stored, stored >= cursor);
            assertTrue(stored + " events", stored >= beforeSwap + 100);

            Map<Object, Long> posted = recorder.of(ems, null).stream()
                    .collect(Collectors.groupingBy(e -> e.getProperty("provider.event.id"), Collectors.counting()));
            assertEquals("each event was posted once: " + posted.entrySet().stream().filter(e -> e.getValue() > 1).limit(5).toList(),
                    Set.of(1L), Set.copyOf(posted.values()));

            // Removing the EMS ends its subscription: its events and cursor go, nothing keeps sending.
            long logAtRemoval = Files.size(log);
            shell.exec("ems:remove " + name);
            assertEquals(0, events.count(ems.id()));
            assertTrue(events.cursor(ems.id()).isEmpty());
            await("no synthetic event source left running", () -> syntheticSourceRunning(name), running -> !running);
            assertEquals(0, events.count(ems.id()));
            // What a provider delivers after the removal (the race a removal can meet) is refused without a database error.
            EmsEvent late = new EmsEvent("synthetic", "evt-late", "vm.alert", "info", Instant.now(), null, "late", Map.of());
            assertThrows(JunctionException.class, () -> events.store(ems.id(), List.of(late), "late"));
            assertEquals(0, events.count(ems.id()));
            // No error from the swap on (a subscription attempt that meets the swap half-way may warn),
            // and neither error nor warning from the removal on.
            List<String> problems = new ArrayList<>(logLines(log, logAtSwap, logAtRemoval, "ERROR"));
            problems.addAll(logLines(log, logAtRemoval, Files.size(log), "WARN|ERROR"));
            assertTrue("errors during the hot swap or the removal, or warnings after it:\n" + String.join("\n", problems), problems.isEmpty());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Path syntheticJar() {
        return Path.of(requiredProperty("junction.syntheticprovider.jar"));
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("system property " + key + " does not name a jar (see itests/pom.xml): " + value);
        }
        return value;
    }

    private Bundle install(Path jar) throws Exception {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = bundleContext.installBundle(jar.toUri().toString(), in);
        }
        bundle.start();
        return bundle;
    }

    /** A synthetic EMS with its sim connection (the path is the shape) and credential, as an operator adds it; waits until it is bound. */
    private Ems syntheticEms(String name, String path) throws Exception {
        shell.exec("ems:add synthetic " + name);
        shell.exec("ems:connect " + name + " sim sim.example --path " + path);
        shell.exec("ems:credential " + name + " --role sim --user sim-reader --secret-file " + secretFile("sim-secret"));
        Ems ems = store.requireEms(name);
        awaitBound(ems);
        return ems;
    }

    private void awaitBound(Ems ems) throws Exception {
        await("capabilities of '" + ems.name() + "' bound to the synthetic provider", () -> router.matrix(ems.id()),
                rows -> rows.stream().map(CapabilityBinding::capability).toList().equals(SYNTHETIC_CAPABILITIES)
                        && rows.stream().allMatch(r -> r.state().equals(CapabilityBinding.BOUND)));
    }

    /** Everything stored for the EMS, keyed by kind and reference. */
    private Map<String, Object> inventorySnapshot(Ems ems) {
        Map<String, Object> items = new TreeMap<>();
        for (VmItem vm : inventory.vms(ems.id(), new VmQuery(false, null, null, 1_000_000))) {
            items.put("vm:" + vm.emsRef(), vm);
        }
        for (VmItem template : inventory.vms(ems.id(), new VmQuery(true, null, null, 1_000_000))) {
            items.put("template:" + template.emsRef(), template);
        }
        for (HostItem host : inventory.hosts(ems.id())) {
            items.put("host:" + host.emsRef(), host);
        }
        for (ClusterItem cluster : inventory.clusters(ems.id())) {
            items.put("cluster:" + cluster.emsRef(), cluster);
        }
        for (DatastoreItem datastore : inventory.datastores(ems.id())) {
            items.put("datastore:" + datastore.emsRef(), datastore);
        }
        return items;
    }

    private VmItem vm(Ems ems, String ref) {
        return inventory.findVm(ems.id(), ref).orElseThrow(() -> new AssertionError("no VM " + ref + " stored for " + ems.name()));
    }

    /**
     * Checks that the stored events of the EMS are evt-1 … evt-N, each once, in the order they
     * were stored; returns N.
     */
    /**
     * The database refuses batches for a while (someone holds the events table): the subscription
     * starts again from the stored cursor once it can store, and nothing is lost or stored twice.
     */
    @Test
    public void eventsResumeAfterTheDatabaseRefusedBatches() throws Exception {
        String name = "ev-refused";
        Ems ems = syntheticEms(name, "/vms=10/hosts=1/events=50");
        long before = await("30 events stored", () -> events.count(ems.id()), n -> n >= 30);
        Path log = Path.of(bundleContext.getProperty("junction.home")).resolve("data/log/junction.log");
        long logAtLock = Files.size(log);
        DataSource database = bundleContext.getService(
                bundleContext.getServiceReferences(DataSource.class, "(osgi.jndi.service.name=junction)").iterator().next());
        lockTimeout(database, "1");
        try (Connection holder = database.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE JN_EVENT IN EXCLUSIVE MODE");
            }
            // A refused delivery ends the synthetic provider's source (the only one running); the
            // subscription is made again later, and refused again while the table is held.
            await("the provider's source to end on a refused batch", () -> syntheticSourceRunning(name), running -> !running);
            await("the subscription to be made again", () -> syntheticSourceRunning(name), running -> running);
            await("the provider's source to end on the next refused batch", () -> syntheticSourceRunning(name), running -> !running);
            holder.rollback();
        } finally {
            lockTimeout(database, null);
        }
        await("100 events more once the table is free", () -> events.count(ems.id()), n -> n >= before + 100);
        assertContiguous(ems);
        List<String> warned = logLines(log, logAtLock, Files.size(log), "WARN").stream()
                .filter(l -> l.contains("Storing the events of EMS '" + name + "' failed")).toList();
        assertEquals("the same refusal is warned of once: " + warned, 1, warned.size());
        shell.exec("ems:remove " + name);
    }

    /**
     * Many EMSs with event subscriptions and periodic refreshes cost the node a few pool threads,
     * not threads of their own: each EMS's events are stored and each is refreshed on its
     * schedule while the JVM's live threads grow by fewer than the EMSs.
     */
    @Test
    public void manyEmssShareBoundedPoolsRatherThanAThreadEach() throws Exception {
        int n = 24;
        int before = Thread.getAllStackTraces().size();
        List<Ems> fleet = new ArrayList<>();
        List<Path> refreshes = new ArrayList<>();
        Path etc = Path.of(bundleContext.getProperty("junction.home")).resolve("etc");
        try {
            for (int i = 0; i < n; i++) {
                Ems ems = syntheticEms("fleet-" + i, "/vms=5/hosts=1/events=20");
                fleet.add(ems);
                // A periodic refresh as an operator configures it.
                Path file = etc.resolve("io.junction.refresh-" + ems.name() + ".cfg");
                Files.writeString(file, "ems=" + ems.name() + "\nintervalSeconds=10\n");
                refreshes.add(file);
            }
            for (Ems ems : fleet) {
                await("events of '" + ems.name() + "' stored", () -> events.count(ems.id()), count -> count >= 20);
                await("a periodic refresh of '" + ems.name() + "'", () -> inventory.lastRefresh(ems.id()),
                        status -> status != null && status.status().equals(RefreshStatus.OK));
            }
            Set<Thread> threads = Thread.getAllStackTraces().keySet();
            List<String> perEms = threads.stream().map(Thread::getName).filter(t -> t.contains("fleet-") || t.equals("synthetic-events")).toList();
            assertEquals("no thread of an EMS's own", List.of(), perEms);
            assertTrue("live threads grew by " + (threads.size() - before) + " for " + n + " EMSs with events and periodic refreshes",
                    threads.size() - before < n);
        } finally {
            for (Path file : refreshes) {
                Files.deleteIfExists(file);
            }
            for (Ems ems : fleet) {
                shell.exec("ems:remove " + ems.name());
            }
        }
    }

    /** Makes a wait for a lock give up after that many seconds (null: as before); on Derby, a database property. */
    protected void lockTimeout(DataSource database, String seconds) throws Exception {
        try (Connection c = database.getConnection(); CallableStatement call = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            call.setString(1, "derby.locks.waitTimeout");
            call.setString(2, seconds);
            call.execute();
        }
    }

    @Test
    public void followingEventsShowsEachNewOneOnceInOrderUntilInterrupted() throws Exception {
        String name = "ev-follow";
        Ems ems = syntheticEms(name, "/vms=10/hosts=1/events=50");
        await("20 events stored", () -> events.count(ems.id()), n -> n >= 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        AtomicReference<Object> ended = new AtomicReference<>();
        Thread follower = new Thread(() -> {
            try {
                ended.set(String.valueOf(session.execute("ems:events --tail 3 --follow " + name)));
            } catch (Exception e) {
                ended.set(e);
            }
        }, "ems-events-follow");
        try {
            follower.start();
            Supplier<List<Long>> shown = () -> EVENT_ID.matcher(out.toString(StandardCharsets.UTF_8)).results()
                    .map(m -> Long.parseLong(m.group(1))).toList();
            await("ems:events --follow to show 60 events that came after it started", shown::get, ids -> ids.size() >= 63);
            follower.interrupt();
            follower.join(PATIENCE.toMillis());
            assertFalse("ems:events --follow ends when interrupted", follower.isAlive());
            // Gogo reports a command that ends interrupted with InterruptedException, as for Ctrl-C.
            assertTrue("ended without an error of its own: " + ended.get(),
                    "null".equals(String.valueOf(ended.get())) || ended.get() instanceof InterruptedException);
            List<Long> ids = shown.get();
            long first = ids.get(0);
            assertEquals("each event shown once, in order, from the last 3 stored before it started: " + ids,
                    LongStream.range(first, first + ids.size()).boxed().toList(), ids);
        } finally {
            follower.interrupt();
            session.close();
            shell.exec("ems:remove " + name);
        }
    }

    private long assertContiguous(Ems ems) {
        List<StoredEvent> stored = events.after(ems.id(), 0, 0);
        List<Long> numbers = new ArrayList<>(stored.size());
        for (StoredEvent e : stored) {
            Matcher m = EVENT_ID.matcher(e.event().providerEventId());
            assertTrue(e.toString(), m.matches());
            numbers.add(Long.parseLong(m.group(1)));
        }
        List<Long> expected = IntStream.rangeClosed(1, numbers.size()).mapToObj(i -> (long) i).toList();
        if (!numbers.equals(expected)) {
            Set<Long> seen = new HashSet<>();
            List<Long> duplicates = numbers.stream().filter(n -> !seen.add(n)).limit(10).toList();
            List<Long> missing = expected.stream().filter(n -> !seen.contains(n)).limit(10).toList();
            throw new AssertionError("stored events are not evt-1 … evt-" + numbers.size() + " in order; duplicates "
                    + duplicates + ", missing " + missing + ", first out of order at index "
                    + IntStream.range(0, numbers.size()).filter(i -> numbers.get(i) != i + 1).findFirst().orElse(-1));
        }
        return numbers.size();
    }

    /** Lines of the log between two offsets whose level matches. */
    private static List<String> logLines(Path log, long from, long to, String levels) throws Exception {
        byte[] whole = Files.readAllBytes(log);
        String part = new String(whole, (int) from, (int) Math.min(to, whole.length) - (int) from, StandardCharsets.UTF_8);
        return part.lines().filter(l -> l.matches("\\S+ (" + levels + ") .*")).toList();
    }

    /**
     * Whether the synthetic provider's event source for the EMS runs: its last line in the log says
     * it began (a source runs on the platform's shared scheduler, with no thread of its own to look for).
     */
    private boolean syntheticSourceRunning(String emsName) throws Exception {
        Path log = Path.of(bundleContext.getProperty("junction.home")).resolve("data/log/junction.log");
        String last = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains("Synthetic events of '" + emsName + "' ")) {
                last = line;
            }
        }
        return last != null && last.contains("Synthetic events of '" + emsName + "' begin");
    }

    /** Runs a command that must fail with one line containing {@code expected}; returns the line. */
    private String oneLineError(String command, String expected) {
        String message = shell.fail(command);
        assertTrue("'" + command + "' said: " + message, message != null && message.contains(expected));
        assertFalse("one line: " + message, message.contains("\n"));
        return message;
    }

    /** The data rows of a table: neither the header nor the note about more rows. */
    private static List<String> rows(String table) {
        List<String> lines = table.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(table, !lines.isEmpty() && lines.get(0).startsWith("NAME "));
        return lines.subList(1, lines.size()).stream().filter(l -> !l.startsWith("(first ")).toList();
    }

    private static List<String> cells(String row) {
        return List.of(row.strip().split(" {2,}"));
    }

    private static List<String> column(String table, int index) {
        return rows(table).stream().map(r -> cells(r).get(index)).toList();
    }

    private static List<String> names(IntStream numbers) {
        return numbers.mapToObj(i -> String.format("vm%07d", i)).toList();
    }

    private static Path secretFile(String content) throws Exception {
        return JunctionDistribution.secretFile(content + "\n");
    }

    private static <T> T await(String what, Callable<T> sample, Predicate<? super T> done) throws Exception {
        return Await.until(what, PATIENCE, sample, done, String::valueOf);
    }

    private Recorder record(String topic) {
        return new Recorder(bundleContext, topic);
    }

    /** Keeps what EventAdmin delivers on a topic, as long as it is open. */
    private static final class Recorder implements EventHandler, AutoCloseable {
        private final Queue<Event> received = new ConcurrentLinkedQueue<>();
        private final ServiceRegistration<EventHandler> registration;

        Recorder(BundleContext context, String topic) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(EventConstants.EVENT_TOPIC, new String[] {topic});
            registration = context.registerService(EventHandler.class, this, props);
        }

        @Override
        public void handleEvent(Event event) {
            received.add(event);
        }

        /** Events about the EMS, on that topic or ({@code null}) any, in the order received. */
        List<Event> of(Ems ems, String topic) {
            return received.stream().filter(e -> Long.valueOf(ems.id()).equals(e.getProperty("ems.id")))
                    .filter(e -> topic == null || e.getTopic().equals(topic)).toList();
        }

        Event await(Ems ems, String topic) throws Exception {
            return await(ems, topic, 1).get(0);
        }

        List<Event> await(Ems ems, String topic, int count) throws Exception {
            return InventoryPipelineIT.await(count + " events " + topic + " of '" + ems.name() + "'", () -> of(ems, topic),
                    list -> list.size() >= count);
        }

        @Override
        public void close() {
            registration.unregister();
        }
    }
}
