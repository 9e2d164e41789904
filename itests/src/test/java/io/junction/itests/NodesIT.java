package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Junction nodes as processes, distribution copies sharing one PostgreSQL database (see
 * {@link TestPostgres}), with 30 synthetic EMSs emitting events and some refreshed periodically:
 * the EMSs spread over the live nodes, one owner each; a node killed with SIGKILL has its EMSs
 * taken over and no event is lost or stored twice; a node paused with SIGSTOP past its lease and
 * then resumed writes nothing for the EMSs it lost; a fourth node joining takes a share.
 *
 * <p>Who writes is watched from inside the database: a trigger of this test records, for every
 * write of an event cursor (each stored batch moves its EMS's cursor), the node that wrote it (the
 * connection's {@code ApplicationName}) and the lease's owner at that moment. Leases are short
 * (4 s, heartbeats every second) so that take-overs happen within the test's patience.
 */
public class NodesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int EMSS = 30;
    private static final int LEASE_SECONDS = 4;
    private static final List<String> REFRESHED = List.of("syn01", "syn02", "syn03", "syn04", "syn05", "syn06");
    private static final String DATABASE = "nodes_it";
    /** The last EMS's refresh takes about 10 s: long enough for a second node to ask while it runs. */
    private static final String SLOW = "/vms=200/hosts=2/clusters=1/events=5/pace=20";

    private static final Map<String, Path> homes = new LinkedHashMap<>();
    private static final Map<String, Process> running = new HashMap<>();
    private static String url;

    @BeforeClass
    public static void install() throws Exception {
        TestPostgres.createDatabase(DATABASE);
        url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.port() + "/" + DATABASE;
        for (int i = 1; i <= 4; i++) {
            String node = "node-" + i;
            Path home = JunctionDistribution.installWithSyntheticProvider("nodes/" + node);
            TestPostgres.writeConfiguration(home, url + "?ApplicationName=" + node, TestPostgres.USER, TestPostgres.PASSWORD);
            Files.writeString(home.resolve("etc/io.junction.node.cfg"), "name = " + node + "\nleaseSeconds = " + LEASE_SECONDS
                    + "\nheartbeatSeconds = 1\n");
            Files.writeString(home.resolve("etc/io.junction.events.cfg"), "reconcileIntervalSeconds = 1\n");
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Files.writeString(home.resolve("etc/io.junction.ssh.cfg"), "port = " + free.getLocalPort() + "\n");
            }
            for (String ems : REFRESHED) {
                Files.writeString(home.resolve("etc/io.junction.refresh-" + ems + ".cfg"), "ems = " + ems + "\nintervalSeconds = 10\n");
            }
            homes.put(node, home);
        }
        Path first = homes.get("node-1");
        Path secret = first.getParent().resolve("sim.secret");
        Files.writeString(secret, "sim-secret\n");
        StringBuilder setup = new StringBuilder();
        for (int i = 1; i <= EMSS; i++) {
            String ems = String.format("syn%02d", i);
            setup.append("ems:add synthetic ").append(ems).append("; ems:connect ").append(ems)
                    .append(" sim sim.example --path ").append(i == EMSS ? SLOW : "/vms=20/hosts=2/clusters=1/events=5")
                    .append("; ems:credential ").append(ems)
                    .append(" --role sim --user sim-reader --secret-file ").append(secret).append("; ");
        }
        JunctionDistribution.Run run = JunctionDistribution.junction(first, setup.toString());
        assertEquals(run.err(), 0, run.status());
        // One key for every node sharing the database, as the README says.
        for (Path home : homes.values()) {
            if (home != first) {
                Path key = home.resolve("etc/junction.key");
                Files.copy(first.resolve("etc/junction.key"), key, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
        }
        sql(s -> {
            s.execute("CREATE TABLE test_writes (node TEXT, ems_id BIGINT, cursor_value TEXT, owner TEXT,"
                    + " at_ms BIGINT DEFAULT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT))");
            s.execute("CREATE FUNCTION test_record_write() RETURNS trigger AS $$ BEGIN"
                    + " INSERT INTO test_writes (node, ems_id, cursor_value, owner) VALUES (current_setting('application_name'),"
                    + " NEW.ems_id, NEW.cursor_value, (SELECT owner FROM jn_ems_lease WHERE ems_id = NEW.ems_id));"
                    + " RETURN NEW; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER test_writes_tg AFTER INSERT OR UPDATE ON jn_event_cursor FOR EACH ROW EXECUTE FUNCTION test_record_write()");
            return null;
        });
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (Process p : running.values()) {
            signal(p, "CONT");
            p.destroy();
        }
        for (Process p : running.values()) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    public void emssSpreadAreTakenOverWithoutLossAndAPausedNodeWritesNothingItLost() throws Exception {
        for (String node : List.of("node-1", "node-2", "node-3")) {
            start(node);
        }
        for (String node : List.of("node-1", "node-2", "node-3")) {
            awaitRunning(node);
        }
        Map<Long, String> owners = awaitSettled("each EMS owned by one of three nodes, each node owning some", Set.of("node-1", "node-2", "node-3"));
        long spreadAt = nowMillis();
        Await.until("every EMS's events stored by its owner", PATIENCE, () -> writersSince(spreadAt), w -> w.keySet().containsAll(owners.keySet()),
                String::valueOf);
        assertEquals("one writer per EMS, the lease's owner", owners, onlyWriter(writersSince(spreadAt)));

        // kill -9: the node's EMSs are taken over once their leases expire, from the stored cursors.
        // (-Djunction.nodes.takeovers=10 repeats it, node-3 started again each time, for docs/benchmarks.md)
        int rounds = Integer.getInteger("junction.nodes.takeovers", 1);
        List<Long> takeOvers = new ArrayList<>();
        Map<Long, String> after = null;
        Map<Long, String> current = owners;
        for (int round = 1; round <= rounds; round++) {
            if (round > 1) {
                start("node-3");
                awaitRunning("node-3");
                current = awaitOwners("node-3 back with a share", Set.of("node-1", "node-2", "node-3"));
            }
            Set<Long> lost = emssOf(current, "node-3");
            long killedAt = nowMillis();
            Process killed = running.remove("node-3");
            killed.destroyForcibly();
            killed.waitFor(30, TimeUnit.SECONDS);
            after = awaitOwners("node-3's EMSs taken over by the two others", Set.of("node-1", "node-2"));
            Map<Long, Long> resumed = Await.until("node-3's EMSs' events stored again", PATIENCE, () -> firstWriteSince(killedAt, lost),
                    m -> m.keySet().containsAll(lost), String::valueOf);
            long takeOver = resumed.values().stream().mapToLong(Long::longValue).max().orElseThrow() - killedAt;
            takeOvers.add(takeOver);
            System.out.println("take-over after kill -9: " + takeOver + " ms (lease " + LEASE_SECONDS + " s, " + lost.size() + " EMSs)");
            for (long ems : lost) {
                assertTrue(ems + " went to a live node", Set.of("node-1", "node-2").contains(after.get(ems)));
            }
        }
        List<Long> sorted = takeOvers.stream().sorted().toList();
        System.out.println("take-over after kill -9, " + rounds + " rounds: median " + (sorted.get((rounds - 1) / 2) + sorted.get(rounds / 2)) / 2
                + " ms, min " + sorted.get(0) + ", max " + sorted.get(rounds - 1) + " (lease " + LEASE_SECONDS + " s, heartbeat 1 s)");

        // SIGSTOP past the lease, then SIGCONT: whatever it was doing, it stores nothing for the EMSs it lost.
        Set<Long> paused = emssOf(after, "node-2");
        Process second = running.get("node-2");
        long stoppedAt = nowMillis();
        signal(second, "STOP");
        Map<Long, String> whilePaused = awaitOwners("node-2's EMSs taken over by node-1", Set.of("node-1"));
        Await.until("node-2's EMSs' events stored by node-1", PATIENCE, () -> firstWriteSince(stoppedAt, paused),
                m -> m.keySet().containsAll(paused), String::valueOf);
        assertTrue(whilePaused.values().stream().allMatch("node-1"::equals));
        signal(second, "CONT");
        // node-2 beats again, is live again, and takes a share back (with new fences) from node-1
        awaitOwners("node-2 back with a share", Set.of("node-1", "node-2"));

        // a fourth node joins and takes a share
        long joinedAt = nowMillis();
        start("node-4");
        awaitRunning("node-4");
        Map<Long, String> four = awaitOwners("node-4 owning a share", Set.of("node-1", "node-2", "node-4"));
        Set<Long> fourth = emssOf(four, "node-4");
        Await.until("node-4 storing the events of its share", PATIENCE, () -> firstWriteSince(joinedAt, fourth),
                m -> m.keySet().containsAll(fourth), String::valueOf);

        // periodic refreshes went on through all of this, on whichever node owned each EMS
        Await.until("periodic refreshes after node-4 joined", PATIENCE, () -> refreshedSince(joinedAt), r -> r.containsAll(REFRESHED),
                String::valueOf);

        // Any node answers any command, through the console of the running instance.
        JunctionDistribution.Run nodes = JunctionDistribution.junction(homes.get("node-1"), "ems:nodes; ems:show syn01");
        assertEquals(nodes.err(), 0, nodes.status());
        for (String live : List.of("node-1 (this node)", "node-2", "node-4")) {
            assertTrue(nodes.out(), nodes.out().lines().anyMatch(l -> l.startsWith(live) && l.contains(" yes ")));
        }
        assertTrue(nodes.out(), nodes.out().lines().anyMatch(l -> l.startsWith("node-3") && l.contains(" no ")));
        assertTrue(nodes.out(), nodes.out().contains("Background work on node " + owners().get(emsId("syn01")) + "\n"));

        // ems:refresh asked on two nodes at once: refreshed once, the second waits for the first and answers with it
        java.util.concurrent.CompletableFuture<JunctionDistribution.Run> onFirst = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> refresh("node-1"));
        Thread.sleep(1000);
        JunctionDistribution.Run onSecond = refresh("node-4");
        JunctionDistribution.Run first = onFirst.get(180, TimeUnit.SECONDS);
        assertEquals(first.err(), 0, first.status());
        assertEquals(onSecond.err(), 0, onSecond.status());
        String joined = "(by the refresh that was running)";
        assertEquals(first.out() + onSecond.out(), 1, (first.out().contains(joined) ? 1 : 0) + (onSecond.out().contains(joined) ? 1 : 0));

        // Stop every node in order, then look at what they stored.
        stopAll();
        running.clear();
        List<String> byOthers = sql(s -> {
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT node, ems_id, cursor_value, owner, at_ms FROM test_writes"
                    + " WHERE owner IS DISTINCT FROM node ORDER BY at_ms")) {
                while (r.next()) {
                    rows.add(r.getString(1) + " wrote EMS " + r.getLong(2) + " cursor " + r.getString(3) + " while "
                            + r.getString(4) + " held its lease, at " + r.getLong(5));
                }
            }
            return rows;
        });
        assertEquals("every batch stored by the node holding the EMS's lease", List.of(), byOthers);
        Map<Long, String> gaps = sql(s -> {
            Map<Long, String> bad = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT ems_id, COUNT(*), COUNT(DISTINCT provider_event_id),"
                    + " MIN(CAST(SUBSTR(provider_event_id, 5) AS BIGINT)), MAX(CAST(SUBSTR(provider_event_id, 5) AS BIGINT))"
                    + " FROM jn_event GROUP BY ems_id")) {
                int emss = 0;
                while (r.next()) {
                    emss++;
                    if (r.getLong(2) != r.getLong(3) || r.getLong(4) != 1 || r.getLong(5) != r.getLong(2)) {
                        bad.put(r.getLong(1), r.getLong(2) + " stored, " + r.getLong(3) + " distinct, from " + r.getLong(4) + " to " + r.getLong(5));
                    }
                }
                assertEquals(EMSS, emss);
            }
            return bad;
        });
        assertEquals("each EMS's events stored exactly once, none missing (evt-1 to evt-n)", Map.of(), gaps);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static JunctionDistribution.Run refresh(String node) {
        try {
            return JunctionDistribution.junction(homes.get(node), "ems:refresh syn" + EMSS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long emsId(String name) throws SQLException {
        return sql(s -> {
            try (ResultSet r = s.executeQuery("SELECT id FROM jn_ems WHERE name = '" + name + "'")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private interface Sql<T> {
        T run(Statement s) throws SQLException;
    }

    private static <T> T sql(Sql<T> work) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD); Statement s = c.createStatement()) {
            return work.run(s);
        }
    }

    private static long nowMillis() throws SQLException {
        return sql(s -> {
            try (ResultSet r = s.executeQuery("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** Headless, as under a service manager. */
    private static void start(String node) throws IOException {
        Path home = homes.get(node);
        Path out = home.getParent().resolve("junction.out");
        Process p = new ProcessBuilder(home.resolve("bin/junction").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        running.put(node, p);
    }

    private static void awaitRunning(String node) throws Exception {
        Path out = homes.get(node).getParent().resolve("junction.out");
        long pid = running.get(node).pid();
        Await.until(node + " to run headless", PATIENCE, () -> Files.readString(out), t -> t.contains("stop it with SIGTERM: kill " + pid),
                String::valueOf);
    }

    private static void signal(Process p, String signal) throws Exception {
        if (p.isAlive()) {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        }
    }

    /** Waits until every EMS's lease is held, unexpired, by one of exactly these nodes, each holding some. */
    private static Map<Long, String> awaitOwners(String what, Set<String> nodes) throws Exception {
        return Await.until(what, PATIENCE, NodesIT::owners, o -> o.size() == EMSS && nodes.containsAll(o.values())
                && new HashSet<>(o.values()).containsAll(nodes), String::valueOf);
    }

    /**
     * As {@link #awaitOwners}, and then the same owners 3 s (three heartbeats) later: nodes that
     * started one after the other hand EMSs over to each other until every node sees every other.
     */
    private static Map<Long, String> awaitSettled(String what, Set<String> nodes) throws Exception {
        Map<Long, String> seen = null;
        for (int tries = 0; tries < 20; tries++) {
            seen = awaitOwners(what, nodes);
            Thread.sleep(3000);
            if (seen.equals(owners())) {
                return seen;
            }
        }
        throw new AssertionError("owners still changing, waiting for " + what + "; last seen: " + seen);
    }

    private static Map<Long, String> owners() throws SQLException {
        return sql(s -> {
            Map<Long, String> owners = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT ems_id, owner FROM jn_ems_lease WHERE owner IS NOT NULL"
                    + " AND expires_ms > CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")) {
                while (r.next()) {
                    owners.put(r.getLong(1), r.getString(2));
                }
            }
            return owners;
        });
    }

    private static Set<Long> emssOf(Map<Long, String> owners, String node) {
        Set<Long> result = new HashSet<>();
        owners.forEach((ems, owner) -> {
            if (owner.equals(node)) {
                result.add(ems);
            }
        });
        return result;
    }

    /** The nodes that wrote each EMS's cursor since the time. */
    private static Map<Long, Set<String>> writersSince(long sinceMillis) throws SQLException {
        return sql(s -> {
            Map<Long, Set<String>> writers = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT ems_id, node FROM test_writes WHERE at_ms >= " + sinceMillis)) {
                while (r.next()) {
                    writers.computeIfAbsent(r.getLong(1), e -> new HashSet<>()).add(r.getString(2));
                }
            }
            return writers;
        });
    }

    private static Map<Long, String> onlyWriter(Map<Long, Set<String>> writers) {
        Map<Long, String> result = new TreeMap<>();
        writers.forEach((ems, nodes) -> result.put(ems, nodes.size() == 1 ? nodes.iterator().next() : nodes.toString()));
        return result;
    }

    /** When each of the EMSs had a batch stored first since the time (the database's clock). */
    private static Map<Long, Long> firstWriteSince(long sinceMillis, Set<Long> emss) throws SQLException {
        return sql(s -> {
            Map<Long, Long> first = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT ems_id, MIN(at_ms) FROM test_writes WHERE at_ms >= " + sinceMillis + " GROUP BY ems_id")) {
                while (r.next()) {
                    if (emss.contains(r.getLong(1))) {
                        first.put(r.getLong(1), r.getLong(2));
                    }
                }
            }
            return first;
        });
    }

    private static Set<String> refreshedSince(long sinceMillis) throws SQLException {
        return sql(s -> {
            Set<String> names = new HashSet<>();
            try (ResultSet r = s.executeQuery("SELECT name FROM jn_ems WHERE last_refresh_status = 'ok'"
                    + " AND last_refresh_at >= TO_TIMESTAMP(" + sinceMillis + " / 1000.0)")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
    }
}
