package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The distribution as an operator runs it: {@code bin/junction -c} as a process, from a path with
 * spaces, restarted on the same data/, with its exit status and its output.
 */
public class DistributionIT {
    private static final String PASSWORD = "Pa55-unique-Vmm-Secret";
    private static final String SCOM_PASSWORD = "Another-Scom-Secret-77";

    private static Path home;

    @BeforeClass
    public static void install() throws IOException {
        home = JunctionDistribution.work().resolve("dist with spaces").resolve("junction");
        JunctionDistribution.deleteTree(home.getParent());
        JunctionDistribution.copyTree(JunctionDistribution.dist(), home);
        home.resolve("bin/junction").toFile().setExecutable(true);
    }

    record Run(int status, String out, String err) {
    }

    private static Run junction(String commands) throws Exception {
        Path out = Files.createTempFile("junction-out", ".txt");
        Path err = Files.createTempFile("junction-err", ".txt");
        // Started from another working directory, to prove the script finds its home by itself.
        Process p = new ProcessBuilder(home.resolve("bin/junction").toString(), "-c", commands)
                .directory(JunctionDistribution.work().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/junction -c \"" + commands + "\" did not finish");
        }
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static Path secretFile(String name, String content) throws IOException {
        Path f = JunctionDistribution.work().resolve(name);
        Files.writeString(f, content + "\n");
        return f;
    }

    @Test
    public void providersSurviveARestartAndSecretsNeverReachTheDisk() throws Exception {
        Run first = junction("ems:add microsoft sc1; ems:connect sc1 scvmm vmm.example.test; ems:list");
        assertEquals(first.err(), 0, first.status());
        assertTrue(first.out(), first.out().contains("sc1"));
        assertTrue(first.out(), first.out().contains("vmm.example.test:5986"));
        assertEquals("", first.err());

        Run second = junction("ems:connect sc1 scom scom.example.test; "
                + "ems:credential sc1 --role scvmm --user vmm-reader --secret-file \"" + secretFile("vmm.pw", PASSWORD) + "\"; "
                + "ems:credential sc1 --role scom --user scom-reader --secret-file \"" + secretFile("scom.pw", SCOM_PASSWORD) + "\"; "
                + "ems:credential sc1 --kind key-pair --user deploy --secret-file \"" + secretFile("deploy.pem",
                "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----") + "\"");
        assertEquals(second.err(), 0, second.status());

        Run afterRestart = junction("ems:list; ems:show sc1");
        assertEquals(afterRestart.err(), 0, afterRestart.status());
        String shown = afterRestart.out();
        assertTrue(shown, shown.contains("https://vmm.example.test:5986"));
        assertTrue(shown, shown.contains("https://scom.example.test:5986"));
        assertTrue(shown, shown.contains("vmm-reader"));
        assertTrue(shown, shown.contains("scom-reader"));
        assertTrue(shown, shown.contains("key-pair"));
        assertFalse(shown, shown.contains(PASSWORD));

        // The key that encrypts secrets is readable by its owner only.
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(home.resolve("etc/junction.key")));

        for (String secret : List.of(PASSWORD, SCOM_PASSWORD, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")) {
            for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                byte[] needle = secret.getBytes(cs);
                try (Stream<Path> files = Files.walk(home.resolve("data"))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        assertFalse("secret found in " + f, contains(Files.readAllBytes(f), needle));
                    }
                }
            }
        }
    }

    @Test
    public void everyShippedBundleResolves() throws Exception {
        Run lb = junction("lb");
        assertEquals(lb.err(), 0, lb.status());
        long bundles = lb.out().lines().filter(l -> l.matches("\\s*\\d+\\|.*")).count();
        assertEquals(lb.out(), JunctionDistribution.systemBundles().size() + 1, bundles);
        assertFalse("nothing stuck in Installed:\n" + lb.out(), lb.out().contains("|Installed"));
        assertTrue("the console bundle is resolved, waiting for interactive mode:\n" + lb.out(),
                lb.out().lines().anyMatch(l -> l.contains("|Resolved") && l.contains("Gogo JLine")));
    }

    @Test
    public void badInputFailsWithOneLineAndNonZeroStatus() throws Exception {
        Run run = junction("ems:add nosuch x");
        assertNotEquals(0, run.status());
        assertEquals("error: unknown provider type 'nosuch'; installed types: microsoft, openstack\n", run.err());
        assertEquals("", run.out());

        Run mixed = junction("ems:types; ems:connect nosuch scvmm h.example; ems:list");
        assertEquals(1, mixed.status());
        assertTrue("commands after a failure still run", mixed.out().contains("microsoft"));
        assertEquals(1, mixed.err().lines().count());
    }

    /** {@code --help} or {@code -h} on a command prints its usage, runs nothing and exits 0. */
    @Test
    public void helpOptionPrintsTheUsageAndRunsNothing() throws Exception {
        String before = junction("ems:list").out();
        Run run = junction("ems:vms --help; ems:add microsoft -h; user:add --help; ems:list");
        assertEquals(run.err(), 0, run.status());
        assertEquals("", run.err());
        assertTrue(run.out(), run.out().contains("vms - lists the VMs of an EMS") && run.out().contains("--state"));
        assertTrue(run.out(), run.out().contains("add - ") && run.out().contains("scope: user"));
        assertTrue("nothing changed:\n" + run.out(), run.out().endsWith(before));
    }

    /**
     * A script can trust ems:verify as it trusts ems:refresh: a check that is not ok makes
     * {@code bin/junction -c} exit 1, with the table on standard output and what happened in
     * words (no Java class name) on one line of standard error.
     */
    @Test
    public void aFailedCheckFailsTheScriptAndSaysWhatHappenedInWords() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Run run = junction("ems:add openstack os-verify; ems:connect os-verify identity 127.0.0.1 --port " + closed
                + " --path '/v3?project=demo'; ems:credential os-verify --role identity --user admin --secret-file \""
                + secretFile("os-verify.pw", "Verify-Secret-9") + "\"; ems:verify os-verify; ems:list");
        assertEquals(run.out() + run.err(), 1, run.status());
        assertEquals("error: 1 of 1 connection checks of EMS 'os-verify' failed\n", run.err());
        String row = run.out().lines().filter(l -> l.startsWith("identity ")).findFirst().orElseThrow(() -> new AssertionError(run.out()));
        assertTrue(row, row.contains("unreachable (cannot connect to 127.0.0.1:" + closed + ": connection refused)"));
        assertFalse(run.out(), run.out().contains("Exception"));
        assertTrue("the command after it still ran: " + run.out(), run.out().contains("identity 127.0.0.1:" + closed));
    }

    /**
     * A secret file that never ends (a device) ran the heap out and ended the process with
     * status 2: it is refused in one line, nothing is stored, and the next commands run.
     */
    @Test
    public void aSecretFileThatNeverEndsIsRefusedAndTheNextCommandsRun() throws Exception {
        Run run = junction("ems:add microsoft dz1; ems:connect dz1 scvmm vmm.dz.test; "
                + "ems:credential dz1 --role scvmm --user u --secret-file /dev/zero; ems:show dz1");
        assertEquals(run.out() + run.err(), 1, run.status());
        assertEquals("error: secret file '/dev/zero' is not a regular file (a FIFO, device or socket)\n", run.err());
        assertTrue("the command after it still ran: " + run.out(), run.out().contains("https://vmm.dz.test:5986"));
        assertTrue("nothing stored: " + run.out(), run.out().contains("none; add one with ems:credential"));
    }

    @Test
    public void secondInstanceOnTheSameHomeIsRefused() throws Exception {
        Files.createDirectories(home.resolve("data"));
        // Holding the lock as a running Junction would: the next one must refuse to share data/.
        try (FileChannel channel = FileChannel.open(home.resolve("data/.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            Run refused = junction("ems:list");
            assertEquals(2, refused.status());
            assertTrue(refused.err(), refused.err().startsWith("error: another Junction is running on "));
            assertEquals(1, refused.err().lines().count());
        }
        assertEquals(0, junction("ems:list").status());
    }

    /**
     * The first README command lands in the interactive shell: it shows its prompt, runs a command
     * and ends with {@code exit}. script(1) gives it a pseudo-terminal that nobody sized (its own
     * input is a pipe), on which the shell would spin redrawing a zero-width line unless
     * bin/junction gives the terminal a size.
     */
    @Test
    public void theInteractiveShellTakesACommandAndExits() throws Exception {
        assumeTrue("script(1) (util-linux) runs the shell on a pseudo-terminal", Files.isExecutable(Path.of("/usr/bin/script")));
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", "'" + home.resolve("bin/junction") + "'", "/dev/null")
                .directory(JunctionDistribution.work().toFile()).redirectErrorStream(true).start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = p.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "junction-terminal");
        reader.start();
        try (OutputStream keyboard = p.getOutputStream()) {
            Duration patience = Duration.ofSeconds(120);
            Await.until("the greeting and the prompt", patience, screen::toString,
                    text -> text.contains("Junction ") && text.contains("junction> "), String::valueOf);
            keyboard.write("ems:types\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("ems:types to answer", patience, screen::toString, text -> text.contains("Microsoft System Center"), String::valueOf);
            keyboard.write("ems:vms --help\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("the usage of ems:vms", patience, screen::toString, text -> text.contains("vms - lists the VMs of an EMS"), String::valueOf);
            keyboard.write("exit\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertTrue("the shell ended after exit:\n" + screen, p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(screen.toString(), 0, p.exitValue());
        } finally {
            p.destroyForcibly();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /**
     * Started by a service manager (standard input not a terminal), Junction runs without its
     * console until SIGTERM stops it in order: the console would otherwise read end-of-file
     * forever and keep a core busy.
     */
    @Test
    public void withoutATerminalJunctionRunsWithoutItsConsoleUntilStopped() throws Exception {
        Path out = Files.createTempFile(JunctionDistribution.work(), "junction-out", ".txt");
        Process p = new ProcessBuilder(home.resolve("bin/junction").toString())
                .directory(JunctionDistribution.work().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Await.until("the line saying Junction runs without its console", Duration.ofSeconds(120), () -> Files.readString(out),
                    text -> text.contains("Junction is running without its console (standard input is not a terminal); stop it with SIGTERM: kill "
                            + p.pid()), String::valueOf);
            assertTrue("still running", p.isAlive());
            p.destroy(); // SIGTERM
            assertTrue("stopped after SIGTERM", p.waitFor(120, TimeUnit.SECONDS));
            // An orderly stop: service managers take anything else (the JVM's 143) for a failure.
            assertEquals("exit status after SIGTERM:\n" + Files.readString(out), 0, p.exitValue());
            assertFalse("no console was started:\n" + Files.readString(out), Files.readString(out).contains("Gogo"));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
        // Stopped in order: the next Junction gets data/ and its database.
        Run next = junction("ems:list");
        assertEquals(next.err(), 0, next.status());
    }

    /**
     * bin/junction -c makes the class-data-sharing archive in data/ by itself, owner-only; an
     * archive cut short (on which the JVM would crash) or made for other jars is not used and is
     * made again, and none of it shows on stdout or stderr.
     */
    @Test
    public void theClassDataArchiveIsMadeByItselfAndABrokenOrStaleOneIsReplacedSilently() throws Exception {
        Path archive = home.resolve("data/junction.jsa");
        Path stamp = home.resolve("data/junction.jsa.stamp");
        Run first = junction("ems:list");
        assertEquals(first.err(), 0, first.status());
        assertEquals("", first.err());
        assertArchiveMatchesItsStamp(archive, stamp);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));

        // Cut short, as by a full disk or a copy interrupted: mapping it would kill the JVM with SIGBUS.
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run truncated = junction("ems:list");
        assertEquals(new Run(0, first.out(), ""), truncated);
        assertArchiveMatchesItsStamp(archive, stamp);

        // Made for another JVM (or other bundles): dropped by the run that finds it, made by the next.
        Files.writeString(stamp, Files.readString(stamp).replaceFirst("(?m)^java\\.vm\\.version=.*$", "java.vm.version=0-other"));
        Run stale = junction("ems:list");
        assertEquals(new Run(0, first.out(), ""), stale);
        assertFalse("a stale archive is dropped", Files.exists(archive) || Files.exists(stamp));
        Run remade = junction("ems:list");
        assertEquals(new Run(0, first.out(), ""), remade);
        assertArchiveMatchesItsStamp(archive, stamp);
        assertFalse(Files.readString(stamp).contains("0-other"));
    }

    private static void assertArchiveMatchesItsStamp(Path archive, Path stamp) throws IOException {
        assertTrue("the archive is made", Files.isRegularFile(archive));
        assertTrue(Files.readString(stamp), Files.readString(stamp).endsWith("\narchive " + Files.size(archive) + "\n"));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
