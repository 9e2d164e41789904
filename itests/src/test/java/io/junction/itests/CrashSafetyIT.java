package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import io.junction.itests.JunctionDistribution.Run;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A refresh killed at any moment leaves the stored inventory whole: {@code bin/junction -c
 * "ems:refresh …"} runs as a process on a copy of the distribution with the synthetic provider in
 * its deploy/, and is killed with SIGKILL while it switches the stored inventory from one shape
 * to another. After each kill the next Junction finds exactly the old inventory or exactly the
 * new one, never a mixture.
 *
 * <p>The two shapes differ in every table: more clusters, hosts and VMs, and (since a VM's host
 * is {@code host-(i % hosts)}) the host of most VMs that both have. Kill moments are chosen by
 * the refresh's progress lines and by delays from the start of the refresh command; what happened
 * at each is printed, and nothing is asserted about durations.
 *
 * <p>Likewise events: a Junction following an EMS's events is killed mid-flow, and the events
 * stored across the kills and restarts are the provider's, each exactly once.
 */
public class CrashSafetyIT {
    private static final String EMS = "crash1";
    private static final Shape A = new Shape("/vms=20000/hosts=100/clusters=4", 4, 100, 20000);
    private static final Shape B = new Shape("/vms=40000/hosts=160/clusters=8", 8, 160, 40000);
    private static final Pattern COUNTS = Pattern.compile(
            "Inventory ([\\d,]+) clusters?, ([\\d,]+) hosts?, ([\\d,]+) VMs?, ([\\d,]+) templates?, ([\\d,]+) datastores?");
    private static final Pattern VM_ROW = Pattern.compile("vm\\d{7} {2,}(vm-\\d{7}) {2,}\\S+ {2,}\\S+ {2,}(host-\\d+) .*");
    private static final Pattern HOST_ROW = Pattern.compile("host\\d+\\.synthetic\\.test {2,}(host-\\d+) {2,}(Cluster \\d+) .*");
    private static final Pattern EVENT_ID = Pattern.compile("\\(evt-(\\d+)\\)$");
    private static final Pattern CLUSTER_ROW = Pattern.compile("Cluster \\d+ {2,}(cluster-\\d+)");
    /** VMs whose rows are checked after each kill: the first written, the last both shapes have, the last of B. */
    private static final List<Integer> SAMPLED_VMS = IntStream.concat(IntStream.concat(IntStream.range(0, 10),
            IntStream.range(19990, 20000)), IntStream.range(39990, 40000)).boxed().toList();

    private static Path home;
    private static Path secret;

    /** A shape of the synthetic inventory: the connection path, and what it stores (plus 4 templates and 1 datastore). */
    record Shape(String path, int clusters, int hosts, int vms) {
        long[] counts() {
            return new long[] {clusters, hosts, vms, 4, 1};
        }

        @Override
        public String toString() {
            return vms + " VMs, " + hosts + " hosts, " + clusters + " clusters";
        }
    }

    @BeforeClass
    public static void install() throws IOException {
        home = JunctionDistribution.installWithSyntheticProvider("crash");
        secret = home.getParent().resolve("sim.secret");
        Files.writeString(secret, "sim-secret\n");
    }

    @Test
    public void aRefreshKilledAtAnyMomentLeavesTheOldOrTheNewInventoryWhole() throws Exception {
        Run first = junction("ems:add synthetic " + EMS + "; " + connect(A) + "; ems:refresh " + EMS);
        assertEquals(first.err(), 0, first.status());
        assertTrue(first.out(), first.out().contains("Refreshed EMS '" + EMS + "'"));
        assertEquals(A, storedShape());

        Shape target = switchTo(B);
        List<String> moments = List.of("progress line 1", "1000 ms", "2000 ms", "3000 ms", "4000 ms");
        // The delays count from the start of the refresh command, which follows an ems:list in the same process.
        List<String> summary = new ArrayList<>();
        for (String moment : moments) {
            Shape before = target == A ? B : A;
            Killed attempt = refreshKilledAt(moment);
            Shape stored = storedShape();
            String what = "kill at " + moment + ": " + attempt + "; stored now: " + (stored == before ? "old" : "new")
                    + " (" + stored + ")";
            System.out.println(what);
            summary.add(what);
            if (!attempt.killed()) {
                assertEquals("the refresh ran to its end: " + attempt.out() + attempt.err(), 0, attempt.status());
                assertEquals(what, target, stored);
            }
            if (attempt.out().contains("Refreshed EMS '" + EMS + "'")) {
                assertEquals("the refresh said it was done: " + what, target, stored);
            }
            if (stored == target) {
                // Done before the kill: refresh back the other way next, so every kill interrupts real work.
                target = switchTo(before);
            }
        }

        if (target != B) {
            switchTo(B);
        }
        Run last = junction("ems:refresh " + EMS);
        assertEquals(last.err(), 0, last.status());
        assertTrue(last.out(), last.out().contains("Refreshed EMS '" + EMS + "'"));
        assertEquals(String.join("\n", summary), B, storedShape());
    }

    /**
     * Events flow while a Junction runs; killed (SIGKILL) three times mid-flow and stopped in order
     * once, it must have stored every event the provider sent exactly once: the cursor is stored
     * with each batch, so a restarted subscription resumes right after the last stored event.
     */
    @Test
    public void eventsSurviveKillsAndRestartsWithoutLossOrRepeats() throws Exception {
        String ems = "events1";
        Run setup = junction("ems:add synthetic " + ems + "; ems:connect " + ems + " sim sim.example --path /vms=10/hosts=1/clusters=1/events=500"
                + "; ems:credential " + ems + " --role sim --user sim-reader --secret-file \"" + secret + "\"");
        assertEquals(setup.err(), 0, setup.status());
        List<String> rounds = new ArrayList<>();
        for (int shown : List.of(20, 300, 1500)) {
            // ems:events --follow keeps the process (and so the event pipeline) running until it is killed.
            try (Watched run = new Watched("ems:events --tail 1 --follow " + ems)) {
                run.await(lines -> eventIds(lines).size() > shown);
                boolean killed = run.kill();
                assertTrue("still following when killed: " + run.lines() + run.err(), killed);
                rounds.add("killed after " + eventIds(run.lines()).size() + " events shown");
            }
        }
        Run orderly = junction("ems:events --tail 1 " + ems);
        assertEquals(orderly.err(), 0, orderly.status());

        Run all = junction("ems:events --tail 9999999 " + ems);
        assertEquals(all.err(), 0, all.status());
        List<Long> ids = eventIds(all.out().lines().toList());
        assertTrue(rounds + "; stored " + ids.size(), ids.size() > 1500);
        List<Long> expected = LongStream.rangeClosed(1, ids.size()).boxed().toList();
        if (!ids.equals(expected)) {
            Set<Long> seen = new HashSet<>();
            List<Long> repeated = ids.stream().filter(n -> !seen.add(n)).limit(10).toList();
            List<Long> missing = expected.stream().filter(n -> !seen.contains(n)).limit(10).toList();
            throw new AssertionError("stored events are not evt-1 … evt-" + ids.size() + " once each (" + rounds + "); repeated "
                    + repeated + ", missing " + missing);
        }
        // No events flowing in the other test's processes.
        assertEquals(0, junction("ems:remove " + ems).status());
    }

    /** The numbers of the events {@code ems:events} printed, in the order printed. */
    private static List<Long> eventIds(List<String> lines) {
        List<Long> ids = new ArrayList<>();
        for (String line : lines) {
            Matcher m = EVENT_ID.matcher(line);
            if (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
        }
        return ids;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String connect(Shape shape) {
        return "ems:connect " + EMS + " sim sim.example --path " + shape.path() + "; ems:credential " + EMS
                + " --role sim --user sim-reader --secret-file \"" + secret + "\"";
    }

    /** Points the EMS's sim connection at another shape (a path change is a new connection); returns the shape. */
    private static Shape switchTo(Shape shape) throws Exception {
        Run run = junction("ems:disconnect " + EMS + " sim; " + connect(shape));
        assertEquals(run.err(), 0, run.status());
        return shape;
    }

    /**
     * What a new Junction finds stored: it must be exactly one of the two shapes, in its counts,
     * its clusters, every host's cluster, and the sampled VMs' rows.
     */
    private static Shape storedShape() throws Exception {
        Run run = junction("ems:show " + EMS + "; ems:clusters " + EMS + "; ems:hosts " + EMS
                + "; ems:vms --filter vm-000000 " + EMS + "; ems:vms --filter vm-001999 " + EMS + "; ems:vms --filter vm-003999 " + EMS);
        assertEquals(run.err(), 0, run.status());
        Matcher m = COUNTS.matcher(run.out());
        assertTrue(run.out(), m.find());
        long[] counts = IntStream.rangeClosed(1, 5).mapToLong(i -> Long.parseLong(m.group(i).replace(",", ""))).toArray();
        Shape shape = Arrays.equals(counts, A.counts()) ? A : Arrays.equals(counts, B.counts()) ? B : null;
        assertTrue("stored counts " + Arrays.toString(counts) + " are neither " + A + " nor " + B + ":\n" + run.out(), shape != null);

        Map<String, String> clusters = new TreeMap<>();
        Map<String, String> hosts = new TreeMap<>();
        Map<String, String> vms = new TreeMap<>();
        for (String line : run.out().lines().map(String::strip).toList()) {
            Matcher c = CLUSTER_ROW.matcher(line);
            Matcher h = HOST_ROW.matcher(line);
            Matcher v = VM_ROW.matcher(line);
            if (c.matches()) {
                clusters.put(c.group(1), "");
            } else if (h.matches()) {
                hosts.put(h.group(1), h.group(2));
            } else if (v.matches()) {
                vms.put(v.group(1), v.group(2));
            }
        }
        Map<String, String> expectedClusters = new TreeMap<>();
        IntStream.range(0, shape.clusters()).forEach(c -> expectedClusters.put("cluster-" + c, ""));
        Map<String, String> expectedHosts = new TreeMap<>();
        IntStream.range(0, shape.hosts()).forEach(h -> expectedHosts.put("host-" + h, "Cluster " + (h % shape.clusters())));
        Map<String, String> expectedVms = new TreeMap<>();
        SAMPLED_VMS.stream().filter(i -> i < shape.vms())
                .forEach(i -> expectedVms.put(String.format("vm-%07d", i), "host-" + (i % shape.hosts())));
        assertEquals("clusters of " + shape, expectedClusters, clusters);
        assertEquals("hosts and their clusters of " + shape, expectedHosts, hosts);
        assertEquals("sampled VMs and their hosts of " + shape, expectedVms, vms);
        return shape;
    }

    /**
     * What became of a refresh killed at a moment.
     *
     * @param killed whether it was still running when killed (otherwise it ended by itself with status)
     * @param atMillis when it was killed or found ended, from the start of the refresh command
     * @param bootMillis from the start of the process to the start of the refresh command
     * @param progressLines progress lines it printed
     */
    record Killed(boolean killed, int status, long atMillis, long bootMillis, int progressLines, String out, String err) {
        @Override
        public String toString() {
            return (killed ? "killed" : "had already ended with status " + status) + " " + atMillis + " ms into the refresh, after "
                    + progressLines + " progress lines (" + bootMillis + " ms from process start to the refresh)";
        }
    }

    /** A Junction process running commands, its output lines collected as they come. */
    private static final class Watched implements AutoCloseable {
        final Process process;
        final long started = System.nanoTime();
        private final Path err;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Watched(String commands) throws IOException {
            err = Files.createTempFile(JunctionDistribution.work(), "junction-err", ".txt");
            process = new ProcessBuilder(home.resolve("bin/junction").toString(), "-c", commands)
                    .directory(home.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(err.toFile()).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException killed) {
                    // the process is gone
                }
            }, "junction-stdout");
            reader.start();
        }

        /** Waits until the lines so far satisfy the condition, the process ends, or 180 s pass. */
        void await(Predicate<List<String>> condition) throws InterruptedException {
            long deadline = started + TimeUnit.SECONDS.toNanos(180);
            synchronized (lines) {
                while (!condition.test(lines) && process.isAlive() && System.nanoTime() < deadline) {
                    lines.wait(5);
                }
            }
        }

        /** Kills the process with SIGKILL if it still runs; returns whether it did. */
        boolean kill() throws Exception {
            boolean alive = process.isAlive();
            if (alive) {
                process.destroyForcibly();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("bin/junction did not end after SIGKILL");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return alive;
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        String err() throws IOException {
            return Files.readString(err);
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    /**
     * Runs {@code ems:list; ems:refresh} as a process and kills it (SIGKILL) at the moment named:
     * "progress line N", or "N ms" after the refresh began (after ems:list printed the EMS).
     */
    private static Killed refreshKilledAt(String moment) throws Exception {
        try (Watched run = new Watched("ems:list; ems:refresh " + EMS)) {
            run.await(lines -> lines.stream().anyMatch(l -> l.contains(" " + EMS + " ")));
            long refreshStart = System.nanoTime();
            if (moment.startsWith("progress line ")) {
                int wanted = Integer.parseInt(moment.substring("progress line ".length()));
                run.await(lines -> progressLines(lines) >= wanted);
            } else {
                run.process.waitFor(Long.parseLong(moment.replace(" ms", "")), TimeUnit.MILLISECONDS);
            }
            boolean killed = run.kill();
            long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refreshStart);
            long boot = TimeUnit.NANOSECONDS.toMillis(refreshStart - run.started);
            List<String> lines = run.lines();
            return new Killed(killed, run.process.exitValue(), at, boot, progressLines(lines), String.join("\n", lines), run.err());
        }
    }

    private static int progressLines(List<String> lines) {
        return (int) lines.stream().filter(l -> l.contains(" items received, ")).count();
    }

    private static Run junction(String commands) throws Exception {
        return JunctionDistribution.junction(home, commands);
    }
}
