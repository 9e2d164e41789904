package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventoryRefresh;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.EmsEvent;
import io.junction.api.store.Fence;
import io.junction.api.store.LeaseLostException;
import io.junction.api.store.NodeStore;
import io.junction.api.store.StoredEvent;
import java.time.Duration;
import java.util.Optional;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC stores on a real database with Junction's schema, the same tests for each database
 * Junction runs on (one subclass each): one database per class, migrated once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoresContract {
    private DataSource ds;
    private long emsSeq;

    private long emsId;
    private JdbcInventoryStore inventory;
    private JdbcEventStore events;

    /** A new, empty database of the kind under test, whose connections are the driver's own (no pool). */
    abstract DataSource emptyDatabase() throws Exception;

    /** Makes statements of new connections give up after a second when they wait for a lock (null: as before). */
    abstract void lockTimeout(DataSource ds, String seconds) throws Exception;

    /** The statement that locks JN_VM against every other reader and writer. */
    abstract String lockVmTableAgainstReaders();

    @BeforeAll
    void database() throws Exception {
        ds = emptyDatabase();
        assertEquals(0, SchemaMigration.migrate(ds));
    }

    @BeforeEach
    void ems() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('ems" + (++emsSeq) + "', 'synthetic', CURRENT_TIMESTAMP)",
                    Statement.RETURN_GENERATED_KEYS);
            try (var keys = s.getGeneratedKeys()) {
                keys.next();
                emsId = keys.getLong(1);
            }
        }
        inventory = new JdbcInventoryStore(ds);
        events = new JdbcEventStore(ds);
    }

    private static VmItem vm(String ref, String name, PowerState state) {
        return new VmItem(ref, name, false, "h1", 2, 2048, "Linux", List.of("10.0.0.1", "fd00::1"), state, state.label());
    }

    @Test
    void refreshDiffsAgainstWhatIsStored() {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.cluster(new ClusterItem("c1", "Cluster 1"));
            r.host(new HostItem("h1", "host1", "c1", 16, 64L << 30, PowerState.ON, "Responding"));
            r.vm(vm("v1", "one", PowerState.ON));
            r.vm(vm("v2", "two", PowerState.OFF));
            r.vm(vm("v3", "three", PowerState.ON));
            assertEquals(new RefreshCounts(5, 0, 0, 0, 0), r.commit());
        }
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.cluster(new ClusterItem("c1", "Cluster 1"));
            r.host(new HostItem("h1", "host1", "c1", 16, 64L << 30, PowerState.ON, "Responding"));
            r.vm(vm("v1", "one", PowerState.ON));
            r.vm(vm("v2", "two", PowerState.SUSPENDED));
            r.vm(vm("v4", "four", PowerState.ON));
            assertEquals(new RefreshCounts(1, 1, 1, 3, 0), r.commit());
        }
        assertArrayEquals(new long[] {1, 1, 3, 0, 0}, inventory.counts(emsId));
        assertEquals(PowerState.SUSPENDED, inventory.findVm(emsId, "two").orElseThrow().powerState());
        assertEquals(List.of("10.0.0.1", "fd00::1"), inventory.findVm(emsId, "v1").orElseThrow().ipAddresses());
        assertTrue(inventory.findVm(emsId, "v3").isEmpty());
    }

    @Test
    void aRefreshThatIsNotCommittedLeavesThePreviousInventory() {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v1", "one", PowerState.ON));
            r.commit();
        }
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            for (int i = 0; i < 2500; i++) {
                r.vm(vm("n" + i, "new" + i, PowerState.ON));
            }
            assertEquals(2500, r.written(), "written in batches, not yet visible");
        }
        assertArrayEquals(new long[] {0, 0, 1, 0, 0}, inventory.counts(emsId));
    }

    @Test
    void aLockedDatabaseFailsTheRefreshWithAClearErrorAndLeavesThePreviousInventory() throws Exception {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v1", "one", PowerState.ON));
            r.commit();
        }
        lockTimeout(ds, "1");
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            // Someone else holds the table: a refresh cannot even read what is stored.
            try (Statement s = holder.createStatement()) {
                s.execute(lockVmTableAgainstReaders());
            }
            JunctionException atStart = assertThrows(JunctionException.class, () -> inventory.beginRefresh(emsId).close());
            assertEquals("the database is busy (lock timeout or deadlock) while starting a refresh; nothing was written, try again",
                    atStart.getMessage());
            holder.rollback();
            if (!tableLocksWaitForReaders()) {
                whileRefreshRunsLockedItFailsAtCommit(holder);
            }
        } finally {
            lockTimeout(ds, null);
        }
        assertEquals(List.of("v1"), inventory.vms(emsId, new VmQuery(false, null, null, 10)).stream().map(VmItem::emsRef).toList());
    }

    /**
     * Whether a table lock waits for the transactions that only read the table, as on PostgreSQL:
     * a running refresh's reads then keep the lock from being taken at all, and cannot be overtaken by it.
     */
    boolean tableLocksWaitForReaders() {
        return false;
    }

    /** A table lock taken while a refresh runs: the refresh fails when it writes, and nothing of it stays. */
    private void whileRefreshRunsLockedItFailsAtCommit(Connection holder) throws Exception {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v2", "two", PowerState.ON));
            try (Statement s = holder.createStatement()) {
                s.execute(lockVmTableAgainstReaders());
            }
            JunctionException atCommit = assertThrows(JunctionException.class, r::commit);
            assertEquals("the database is busy (lock timeout or deadlock) while committing the inventory; nothing was written, try again",
                    atCommit.getMessage());
        }
        holder.rollback();
    }

    @Test
    void malformedAndRepeatedItemsAreSkippedAndCounted() {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v1", "one", PowerState.ON));
            r.vm(vm("v1", "one again", PowerState.ON));
            r.vm(vm(" ", "blank ref", PowerState.ON));
            r.vm(vm("v2", "x".repeat(300), PowerState.ON));
            RefreshCounts counts = r.commit();
            assertEquals(1, counts.created());
            assertEquals(3, counts.skipped());
        }
    }

    @Test
    void listsFilterByTextAndStateAndLimit() {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v1", "web-1", PowerState.ON));
            r.vm(vm("v2", "web-2", PowerState.OFF));
            r.vm(vm("v3", "db_1", PowerState.ON));
            r.vm(new VmItem("t1", "web-template", true, null, 1, 1, null, List.of(), PowerState.OFF, "Stored"));
            r.commit();
        }
        assertEquals(2, inventory.vms(emsId, new VmQuery(false, "WEB", null, 10)).size());
        assertEquals(1, inventory.vms(emsId, new VmQuery(false, "web", PowerState.OFF, 10)).size());
        assertEquals(1, inventory.vms(emsId, new VmQuery(false, "_", null, 10)).size(), "'_' is matched literally");
        assertEquals(1, inventory.vms(emsId, new VmQuery(false, null, null, 1)).size());
        assertEquals(1, inventory.vms(emsId, new VmQuery(true, null, null, 10)).size());
    }

    @Test
    void aNameSharedByTwoVmsMustBeNamedByReference() {
        try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
            r.vm(vm("v1", "same", PowerState.ON));
            r.vm(vm("v2", "same", PowerState.ON));
            r.commit();
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> inventory.findVm(emsId, "same"));
        assertTrue(e.getMessage().contains("v1, v2"), e.getMessage());
        inventory.recordPower(emsId, "v2", PowerState.OFF, "PowerOff");
        assertEquals(PowerState.OFF, inventory.findVm(emsId, "v2").orElseThrow().powerState());
    }

    private static EmsEvent event(String id) {
        return new EmsEvent("src", id, "vm.alert", "info", Instant.ofEpochMilli(1000), "v1", "message " + id, Map.of("k", "a=b\nc"));
    }

    @Test
    void eventsAreStoredOnceWithTheirCursor() {
        assertEquals(2, events.store(emsId, List.of(event("e1"), event("e2"), event("e1")), "2").size());
        assertEquals(1, events.store(emsId, List.of(event("e2"), event("e3")), "3").size());
        assertEquals("3", events.cursor(emsId).orElseThrow());
        List<StoredEvent> stored = events.latest(emsId, 10);
        assertEquals(List.of("e1", "e2", "e3"), stored.stream().map(s -> s.event().providerEventId()).toList());
        assertEquals(Map.of("k", "a=b\nc"), stored.get(0).event().attributes());
        assertEquals(List.of("e3"), events.after(emsId, stored.get(1).id(), 10).stream().map(s -> s.event().providerEventId()).toList());
    }

    @Test
    void aBatchMixingStoredAndNewEventsStoresOnlyTheNewInOrder() {
        events.store(emsId, List.of(event("m2"), event("m4")), "a");
        EmsEvent otherSource = new EmsEvent("other", "m2", "vm.alert", "info", Instant.ofEpochMilli(1000), "v1", "same id", Map.of());
        List<EmsEvent> fresh = events.store(emsId, List.of(event("m1"), event("m2"), event("m3"), otherSource, event("m4"), event("m5")), "b");
        assertEquals(List.of("src/m1", "src/m3", "other/m2", "src/m5"), fresh.stream().map(e -> e.source() + "/" + e.providerEventId()).toList());
        assertEquals(List.of(), events.store(emsId, List.of(event("m1"), event("m5")), "c"), "all stored already");
        assertEquals("c", events.cursor(emsId).orElseThrow(), "the cursor moves even when every event was stored already");
        assertEquals(6, events.count(emsId));
    }

    @Test
    void trimKeepsTheNewestPerEms() {
        for (int i = 0; i < 10; i++) {
            events.store(emsId, List.of(event("t" + i)), null);
        }
        events.trim(Instant.EPOCH, 4);
        assertEquals(4, events.count(emsId));
        assertEquals("t6", events.latest(emsId, 10).get(0).event().providerEventId());
        events.trim(Instant.now().plusSeconds(60), 100);
        assertEquals(0, events.count(emsId));
    }

    /**
     * Several EMSs' events stored at once while a trim runs: none fails as "database busy" (on
     * Derby, a store could fail at once when another write held the row Derby hands out ids from).
     */
    @Test
    void eventsAreStoredWhileTrimRuns() throws Exception {
        for (int from = 0; from < 20_000; from += 1000) {
            List<EmsEvent> batch = new ArrayList<>();
            for (int i = from; i < from + 1000; i++) {
                batch.add(event("old" + i));
            }
            events.store(emsId, batch, "old");
        }
        // Each writer stores for an EMS of its own, as the event pipeline does (one subscription per EMS).
        long first = emsId;
        long[] writing = new long[4];
        writing[0] = first;
        for (int t = 1; t < writing.length; t++) {
            ems();
            writing[t] = emsId;
            events.store(emsId, List.of(event("first")), "first");
        }
        AtomicBoolean trimming = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong stored = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < writing.length; t++) {
            String prefix = "w" + t + "-";
            long ems = writing[t];
            Thread w = new Thread(() -> {
                for (int i = 0; trimming.get(); i++) {
                    try {
                        stored.addAndGet(events.store(ems, List.of(event(prefix + i)), prefix + i).size());
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
            w.start();
            writers.add(w);
        }
        try {
            for (int k = 0; k < 30; k++) {
                events.trim(Instant.EPOCH, 1_000_000);
            }
        } finally {
            trimming.set(false);
            for (Thread w : writers) {
                w.join();
            }
        }
        assertEquals(List.of(), failures.stream().map(Throwable::getMessage).limit(3).toList(), "no store failed while trimming");
        long counted = 0;
        for (long ems : writing) {
            counted += events.count(ems);
        }
        assertEquals(20_000 + writing.length - 1 + stored.get(), counted, "what was stored stays");
    }

    @Test
    void aSchemaNewerThanThisJunctionIsRefusedAndLeftAsItIs() throws Exception {
        int newer = SchemaMigration.CURRENT + 1;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO JN_SCHEMA (VERSION, APPLIED) VALUES (" + newer + ", CURRENT_TIMESTAMP)");
        }
        try {
            JunctionException e = assertThrows(JunctionException.class, () -> SchemaMigration.migrate(ds));
            assertEquals("the database has schema version " + newer + ", newer than this Junction understands ("
                    + SchemaMigration.CURRENT + ")", e.getMessage());
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("DELETE FROM JN_SCHEMA WHERE VERSION = " + newer));
            }
        }
    }

    /** Whether the database under test is shared by nodes (a server): leases are checked by writes there. */
    boolean sharedByNodes() {
        return false;
    }

    /** Lets the EMS's lease run out, as if its holder had stopped renewing it for longer than the lease. */
    private void expireLease(long ems) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE JN_EMS_LEASE SET EXPIRES_MS = 0 WHERE EMS_ID = " + ems));
        }
    }

    @Test
    void aLeaseIsHeldByOneNodeAtATimeAndItsFenceRisesAtEachTakeOver() throws Exception {
        JdbcNodeStore nodes = new JdbcNodeStore(ds);
        assertEquals(sharedByNodes(), nodes.shared());
        Duration lease = Duration.ofSeconds(30);
        Fence a1 = nodes.acquire(emsId, "a", lease).orElseThrow();
        assertEquals(new Fence(emsId, "a", 1), a1);
        assertTrue(nodes.acquire(emsId, "b", lease).isEmpty(), "held by a");
        assertTrue(nodes.acquire(emsId, "a", lease).isEmpty(), "taking a lease again is not renewing it");
        assertTrue(nodes.renew(a1, lease));

        expireLease(emsId);
        Fence b2 = nodes.acquire(emsId, "b", lease).orElseThrow();
        assertEquals(2, b2.number(), "a take-over raises the fence");
        assertFalse(nodes.renew(a1, lease), "a's lease was taken over");
        nodes.release(a1);
        assertEquals(List.of(new NodeStore.LeaseRow(emsId, Optional.of("b"), 2, false)),
                nodes.leases().stream().filter(l -> l.emsId() == emsId).toList(), "a stale release changes nothing");

        nodes.release(b2);
        assertEquals(Optional.empty(), nodes.leases().stream().filter(l -> l.emsId() == emsId).findFirst().orElseThrow().owner());
        assertEquals(3, nodes.acquire(emsId, "a", lease).orElseThrow().number(), "released: taken at once");
        assertTrue(nodes.acquire(Long.MAX_VALUE, "a", lease).isEmpty(), "no lease of an EMS that does not exist");
    }

    @Test
    void twoNodesTakingAFreeLeaseAtOnceGetItOnce() throws Exception {
        JdbcNodeStore nodes = new JdbcNodeStore(ds);
        for (int round = 0; round < 5; round++) {
            if (round > 0) {
                expireLease(emsId);
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Optional<Fence>>> takes = new java.util.ArrayList<>();
                for (String node : List.of("a", "b")) {
                    takes.add(two.submit(() -> {
                        start.await();
                        return nodes.acquire(emsId, node, Duration.ofSeconds(30));
                    }));
                }
                long won = 0;
                for (var take : takes) {
                    won += take.get().isPresent() ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            } finally {
                two.shutdownNow();
            }
        }
        assertEquals(5, nodes.leases().stream().filter(l -> l.emsId() == emsId).findFirst().orElseThrow().fence());
    }

    @Test
    void heartbeatsTellLiveNodes() throws Exception {
        JdbcNodeStore nodes = new JdbcNodeStore(ds);
        nodes.heartbeat("n1");
        nodes.heartbeat("n2");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE JN_NODE SET HEARTBEAT_MS = HEARTBEAT_MS - 60000 WHERE NAME = 'n2'");
        }
        var seen = nodes.nodes(Duration.ofSeconds(30)).stream().filter(n -> n.name().startsWith("n")).toList();
        assertEquals(List.of("n1", "n2"), seen.stream().map(NodeStore.NodeRow::name).toList());
        assertEquals(List.of(true, false), seen.stream().map(NodeStore.NodeRow::live).toList());
        nodes.heartbeat("n2");
        assertTrue(nodes.nodes(Duration.ofSeconds(30)).stream().filter(n -> n.name().equals("n2")).findFirst().orElseThrow().live());
    }

    @Test
    void aWriteUnderALeaseTakenOverStoresNothing() throws Exception {
        JdbcNodeStore nodes = new JdbcNodeStore(ds);
        Duration lease = Duration.ofSeconds(30);
        Fence old = nodes.acquire(emsId, "a", lease).orElseThrow();
        assertEquals(1, events.store(old, List.of(event("f1")), "1").size(), "stored while the lease holds");
        try (InventoryRefresh r = inventory.beginRefresh(old)) {
            r.vm(vm("v1", "one", PowerState.ON));
            r.commit();
        }
        expireLease(emsId);
        Fence taken = nodes.acquire(emsId, "b", lease).orElseThrow();
        if (!sharedByNodes()) {
            // One node owns everything on Derby: nothing to check, nothing refused.
            assertEquals(1, events.store(old, List.of(event("f2")), "2").size());
            return;
        }
        LeaseLostException lost = assertThrows(LeaseLostException.class, () -> events.store(old, List.of(event("f2")), "2"));
        assertEquals("node a no longer holds the lease of EMS " + emsId + " (fence 1); nothing was written", lost.getMessage());
        try (InventoryRefresh r = inventory.beginRefresh(old)) {
            r.vm(vm("v2", "two", PowerState.ON));
            assertThrows(LeaseLostException.class, r::commit);
        }
        assertEquals(1, events.count(emsId), "the old holder stored no event");
        assertEquals("1", events.cursor(emsId).orElseThrow(), "nor moved the cursor");
        assertEquals(List.of("v1"), inventory.vms(emsId, new VmQuery(false, null, null, 10)).stream().map(VmItem::emsRef).toList());
        assertEquals(1, events.store(taken, List.of(event("f2")), "2").size(), "the new holder resumes from the stored cursor");
    }

    @Test
    void aRefreshAskedWhileAnotherNodeRefreshesTheEmsWaitsAndJoinsIt() throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (InventoryRefresh first = inventory.beginRefresh(emsId)) {
            first.vm(vm("j1", "joined", PowerState.ON));
            java.util.concurrent.Future<Optional<RefreshCounts>> second = other.submit(() -> {
                try (InventoryRefresh r = inventory.beginRefresh(emsId)) {
                    return r.finishedMeanwhile();
                }
            });
            if (sharedByNodes()) {
                Thread.sleep(500);
                assertFalse(second.isDone(), "waits while the first runs");
            }
            RefreshCounts counts = first.commit();
            assertEquals(sharedByNodes() ? Optional.of(counts) : Optional.empty(), second.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            other.shutdownNow();
        }
        try (InventoryRefresh later = inventory.beginRefresh(emsId)) {
            assertEquals(Optional.empty(), later.finishedMeanwhile(), "asked after it finished: refreshes anew");
        }
    }
}
