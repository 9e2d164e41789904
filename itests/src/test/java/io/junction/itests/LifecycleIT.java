package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.junction.itests.JunctionDistribution.Run;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Starting and stopping {@code bin/junction} as a service manager does (no terminal, SIGTERM),
 * with the synthetic provider in deploy/: what a stop leaves in the log and the exit status, what
 * a start takes from etc/, a second start on a database in use, and standard output in
 * {@code -c} mode with events in flight at exit.
 */
public class LifecycleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String RUNNING = "Junction is running without its console";

    private static Path home;
    private static Path secret;

    @BeforeClass
    public static void install() throws IOException {
        home = JunctionDistribution.installWithSyntheticProvider("lifecycle");
        secret = home.getParent().resolve("sim.secret");
        Files.writeString(secret, "sim-secret\n");
    }

    /**
     * SIGTERM in the middle of a periodic refresh, with events flowing: background work ends
     * first, while providers and the store are still there, so the stop logs no warning or error
     * (no refresh starting without its provider, no query cut by an interrupt), and the process
     * exits 0 as service managers expect of an orderly stop.
     */
    @Test
    public void sigtermEndsBackgroundWorkFirstAndExitsZero() throws Exception {
        // 6,000 VMs at 200 a second: a refresh lasts longer than the router lets calls drain.
        addEms("stop1", "/vms=6000/hosts=10/clusters=2/pace=200/events=100");
        Path config = refreshEvery("stop1", 10);
        int started = logLength();
        try (Background junction = Background.start()) {
            junction.awaitLog("a periodic refresh of stop1 to start", "Periodic refresh of EMS 'stop1' started", started);
            int stopLogFrom = logLength();
            int status = junction.stop();
            String stopLog = logSince(stopLogFrom);
            assertEquals("exit status of an orderly stop on SIGTERM; log of the stop:\n" + stopLog, 0, status);
            List<String> loud = stopLog.lines().filter(l -> l.matches("\\S+ (WARN|ERROR) .*")).toList();
            assertEquals("warnings or errors while stopping:\n" + stopLog, List.of(), loud);
            assertTrue("the running refresh ended as Junction stopped:\n" + stopLog,
                    stopLog.contains("Refresh of EMS 'stop1' ended as Junction stops"));
        } finally {
            Files.delete(config);
        }
        Run after = junction("ems:show stop1");
        assertEquals(after.err(), 0, after.status());
        assertTrue(after.out(), after.out().contains("Junction is stopping"));
    }

    /**
     * A periodic refresh whose etc/ file was deleted while Junction was stopped does not run
     * after the next start: what etc/ holds at start is the configuration.
     */
    @Test
    public void aRefreshConfigurationDeletedWhileStoppedIsGoneAtTheNextStart() throws Exception {
        addEms("conf1", "/vms=10/hosts=1/clusters=1");
        Path config = refreshEvery("conf1", 10);
        int started = logLength();
        try (Background junction = Background.start()) {
            junction.awaitLog("the periodic refresh of conf1 to run", "Refreshed EMS 'conf1'", started);
            assertEquals(0, junction.stop());
        }
        String refreshedBefore = lastRefresh("conf1");

        Files.delete(config);
        int from = logLength();
        try (Background junction = Background.start()) {
            junction.awaitLog("the configuration of the deleted file to be removed", "io.junction.refresh-conf1.cfg is gone", from);
            assertFalse("no configuration made from the deleted file is kept in data/config", stored("io.junction.refresh-conf1.cfg"));
            // Longer than the interval: a periodic refresh would have started by now.
            Thread.sleep(TimeUnit.SECONDS.toMillis(15));
            String log = logSince(from);
            assertFalse(log, log.contains("Periodic refresh of EMS 'conf1' started"));
            assertFalse(log, log.contains("Refreshing EMS 'conf1'"));
            assertEquals(0, junction.stop());
        }
        assertEquals("no refresh since the file was deleted", refreshedBefore, lastRefresh("conf1"));
    }

    /**
     * With data/.lock removed under a running Junction, a second one must not wait for a
     * database it cannot boot: it says at once, in one line, that the database is in use.
     */
    @Test
    public void aSecondStartOnADatabaseInUseSaysSoAtOnce() throws Exception {
        try (Background first = Background.start()) {
            Files.delete(home.resolve("data/.lock"));
            Run second = junction("ems:list");
            assertEquals(second.err(), 2, second.status());
            assertEquals(second.err(), 1, second.err().lines().count());
            assertTrue(second.err(), second.err().startsWith("error: the database data/derby is in use by another process"));
            assertEquals("", second.out());
            assertEquals(0, first.stop());
        }
        Run next = junction("ems:list");
        assertEquals(next.err(), 0, next.status());
    }

    /**
     * In {@code -c} mode standard output carries the commands' output and nothing else. Some
     * bundles print to System.out when no Log service is there: EventAdmin does at stop, when the
     * Log service has stopped before it with events still in flight (now and then), and at start,
     * before the Log service is up, about a framework property it cannot read (every time: the
     * way to provoke it here). Both runs post events until the moment Junction stops.
     */
    @Test
    public void standardOutputCarriesOnlyCommandOutput() throws Exception {
        addEms("out1", "/vms=10/hosts=1/clusters=1/events=5000");
        Path config = home.resolve("etc/config.properties");
        String original = Files.readString(config);
        Files.writeString(config, original + "\n# a typo EventAdmin reports on System.out\norg.apache.felix.eventadmin.Timeout=soon\n");
        try {
            for (int i = 0; i < 2; i++) {
                int from = logLength();
                Run run = junction("'first-line'; ems:list; 'last-line'");
                assertEquals(run.err(), 0, run.status());
                assertEquals("", run.err());
                assertTrue(run.out(), run.out().startsWith("first-line\nID "));
                assertTrue("nothing after the last command's output:\n" + run.out(), run.out().endsWith("\nlast-line\n"));
                assertEquals(run.out(), 1, run.out().lines().filter(l -> l.contains(" out1 ")).count());
                assertFalse(run.out(), run.out().contains("EventAdmin"));
                // Not lost either: in the log.
                assertTrue(logSince(from), logSince(from).contains("System.out - WARNING: EventAdmin: Unable to parse property"));
            }
        } finally {
            Files.writeString(config, original);
            assertEquals(0, junction("ems:remove out1").status());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void addEms(String name, String path) throws Exception {
        Run run = junction("ems:add synthetic " + name + "; ems:connect " + name + " sim sim.example --path " + path
                + "; ems:credential " + name + " --role sim --user sim-reader --secret-file \"" + secret + "\"");
        assertEquals(run.err(), 0, run.status());
    }

    /** A periodic refresh of the EMS, as an operator configures it in etc/. */
    private static Path refreshEvery(String ems, int seconds) throws IOException {
        Path file = home.resolve("etc/io.junction.refresh-" + ems + ".cfg");
        Files.writeString(file, "ems=" + ems + "\nintervalSeconds=" + seconds + "\n");
        return file;
    }

    private static String lastRefresh(String ems) throws Exception {
        Run run = junction("ems:show " + ems);
        assertEquals(run.err(), 0, run.status());
        return run.out().lines().filter(l -> l.startsWith("Last refresh")).findFirst().orElse("(never refreshed)");
    }

    /** Whether a configuration Configuration Admin keeps in data/config names the file. */
    private static boolean stored(String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("data/config"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(fileName)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path log() {
        return home.resolve("data/log/junction.log");
    }

    private static int logLength() throws IOException {
        return Files.exists(log()) ? Files.readString(log()).length() : 0;
    }

    private static String logSince(int from) throws IOException {
        return Files.readString(log()).substring(from);
    }

    /** {@code bin/junction} started as a service manager does: no terminal, stopped with SIGTERM. */
    private static final class Background implements AutoCloseable {
        private final Process process;
        private final Path out;

        private Background(Process process, Path out) {
            this.process = process;
            this.out = out;
        }

        static Background start() throws Exception {
            Path out = Files.createTempFile(JunctionDistribution.work(), "junction-out", ".txt");
            Process p = new ProcessBuilder(home.resolve("bin/junction").toString())
                    .directory(home.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Background started = new Background(p, out);
            try {
                Await.until("Junction to be running", PATIENCE, () -> Files.readString(out), text -> text.contains(RUNNING)
                        || !p.isAlive(), String::valueOf);
                assertTrue("running:\n" + Files.readString(out), p.isAlive());
            } catch (Exception | AssertionError e) {
                started.close();
                throw e;
            }
            return started;
        }

        /** Waits until the log, from the given length on, shows the text. */
        void awaitLog(String what, String text, int from) throws Exception {
            Await.until(what, PATIENCE, () -> logSince(from), l -> l.contains(text) || !process.isAlive(),
                    l -> l.toString().substring(Math.max(0, l.toString().length() - 4000)));
            assertTrue("still running while waiting for " + what, process.isAlive());
        }

        /** SIGTERM, then the exit status. */
        int stop() throws Exception {
            process.destroy();
            assertTrue("stopped after SIGTERM", process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            return process.exitValue();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(out);
        }
    }

    private static Run junction(String commands) throws Exception {
        return JunctionDistribution.junction(home, commands);
    }
}
