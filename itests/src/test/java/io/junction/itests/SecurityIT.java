package io.junction.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What Junction protects on disk, as an operator meets it: {@code bin/junction} as a process on a
 * home of its own per test, started under the usual umask 022. The secret key file that is lost,
 * damaged, swapped or readable by others; the command that forgets secrets no key can read; the
 * modes of everything under {@code data/}. Stored credentials are checked against a WinRM
 * simulator on loopback, so "the key still works" means a secret was decrypted and accepted.
 */
public class SecurityIT {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final String USER = "vmm-svc";
    private static final String PASSWORD = "Security-IT-Pa55-" + Long.toHexString(System.nanoTime());

    private static WinRmSimulator scvmm;

    @BeforeClass
    public static void simulator() throws IOException {
        Path dir = JunctionDistribution.work().resolve("security");
        JunctionDistribution.deleteTree(dir);
        Files.createDirectories(dir);
        scvmm = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).caOut(dir.resolve("scvmm-ca.pem"))
                .inventory(1, 1, 2, 1));
    }

    @AfterClass
    public static void stopSimulator() {
        if (scvmm != null) {
            scvmm.stop();
        }
    }

    record Run(int status, String out, String err) {
    }

    /** A copy of the distribution, as unpacked by an operator. */
    private static Path home(String name) throws IOException {
        Path home = JunctionDistribution.work().resolve("security").resolve(name);
        JunctionDistribution.deleteTree(home);
        JunctionDistribution.copyTree(JunctionDistribution.dist(), home);
        home.resolve("bin/junction").toFile().setExecutable(true);
        return home;
    }

    /** bin/junction with these arguments, started from a shell whose umask is the usual 022. */
    private static Run junction(Path home, String... args) throws Exception {
        Path out = Files.createTempFile(JunctionDistribution.work(), "junction-out", ".txt");
        Path err = Files.createTempFile(JunctionDistribution.work(), "junction-err", ".txt");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask 022 && exec \"$0\" \"$@\"",
                home.resolve("bin/junction").toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(JunctionDistribution.work().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("bin/junction " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** EMS sc1 with an SCVMM connection to the simulator and its credential, checked once. */
    private static void emsWithACredential(Path home) throws Exception {
        Run setUp = junction(home, "-c", "ems:add microsoft sc1; ems:connect sc1 scvmm 127.0.0.1 --port " + scvmm.port()
                + " --ca-file \"" + scvmm.caPem() + "\"");
        assertEquals(setUp.err(), 0, setUp.status());
        enterCredential(home);
    }

    /** The SCVMM credential of sc1, entered from a secret file and checked once. */
    private static void enterCredential(Path home) throws Exception {
        Path secret = Files.createTempFile(JunctionDistribution.work(), "secret", ".txt");
        try {
            Files.writeString(secret, PASSWORD + "\n");
            Run set = junction(home, "-c", "ems:credential sc1 --role scvmm --user " + USER + " --secret-file \"" + secret + "\"");
            assertEquals(set.err(), 0, set.status());
        } finally {
            Files.delete(secret);
        }
        assertCredentialWorks(home);
    }

    /** The stored secret is decrypted and the simulator accepts it. */
    private static void assertCredentialWorks(Path home) throws Exception {
        int before = scvmm.authentications().size();
        Run verify = junction(home, "-c", "ems:verify sc1");
        assertEquals(verify.err(), 0, verify.status());
        assertTrue(verify.out(), verify.out().lines().anyMatch(l -> l.startsWith("scvmm ") && l.matches(".*\\bok\\b.*")));
        assertTrue("the simulator saw the password", scvmm.authentications().size() > before);
    }

    private static void assertRefusedWithOneLine(Run run, String start) {
        assertEquals(run.err(), 2, run.status());
        assertEquals(run.err(), 1, run.err().lines().count());
        assertTrue(run.err(), run.err().startsWith(start));
        // Nothing on stdout: not even what a bundle stopped right after its start prints there.
        assertEquals(run.out(), "", run.out());
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static byte[] anotherKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    public void aLostDamagedOrSwappedKeyRefusesTheStartAndChangesNothing() throws Exception {
        Path home = home("damaged-key");
        emsWithACredential(home);
        Path key = home.resolve("etc/junction.key");
        byte[] original = Files.readAllBytes(key);
        byte[] another = anotherKey();

        Map<String, byte[]> damages = new LinkedHashMap<>();
        damages.put("deleted", null);
        damages.put("empty", new byte[0]);
        damages.put("truncated", Arrays.copyOf(original, 31));
        damages.put("another key", another);
        for (Map.Entry<String, byte[]> damage : damages.entrySet()) {
            if (damage.getValue() == null) {
                Files.delete(key);
            } else {
                writeOwnerOnly(key, damage.getValue());
            }
            Run refused = junction(home, "-c", "ems:list");
            assertRefusedWithOneLine(refused, "error: secret key file " + key + " is ");
            assertTrue(damage.getKey() + ": " + refused.err(), refused.err().contains(
                    "secret encrypted with it: restore it from a backup, or run bin/junction --forget-secrets to forget it and enter it again")
                    || refused.err().contains("is not the key the database's 1 secret was encrypted with: put back the original file,"
                    + " or run bin/junction --forget-secrets"));
            // No new key over the old secret: the file is as the damage left it.
            if (damage.getValue() == null) {
                assertFalse(damage.getKey(), Files.exists(key));
            } else {
                assertArrayEquals(damage.getKey(), damage.getValue(), Files.readAllBytes(key));
            }
            writeOwnerOnly(key, original);
        }
        assertCredentialWorks(home);
    }

    @Test
    public void keysAndSecretsThatOthersCanReadAreRefused() throws Exception {
        Path home = home("loose-files");
        assertEquals(0, junction(home, "-c", "ems:list").status());
        Path key = home.resolve("etc/junction.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Run refused = junction(home, "-c", "ems:list");
        assertRefusedWithOneLine(refused, "error: secret key file " + key + " is accessible by group or others (rw-r--r--):"
                + " make it owner-only with chmod 600 " + key);

        // A configuration holding a private (dot-prefixed) property is a secret as well.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path cfg = home.resolve("etc/org.example.relay.cfg");
        Files.writeString(cfg, "user = relay\n.password = relay-secret\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r-----"));
        refused = junction(home, "-c", "ems:list");
        assertRefusedWithOneLine(refused, "error: configuration file with a secret (.password) " + cfg
                + " is accessible by group or others (rw-r-----): make it owner-only with chmod 600 " + cfg);

        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-------"));
        Run started = junction(home, "-c", "ems:list");
        assertEquals(started.err(), 0, started.status());
    }

    @Test
    public void forgettingUnreadableSecretsKeepsTheEmsAndItsConnections() throws Exception {
        Path home = home("forget");
        emsWithACredential(home);
        Path key = home.resolve("etc/junction.key");
        byte[] another = anotherKey();
        writeOwnerOnly(key, another);
        assertEquals(2, junction(home, "-c", "ems:list").status());

        Run forget = junction(home, "--forget-secrets");
        assertEquals(forget.err(), 0, forget.status());
        assertEquals("", forget.err());
        assertTrue(forget.out(), forget.out().startsWith("Forgot 1 secret that " + key + " could not read;"));
        assertArrayEquals("the key that is there is kept", another, Files.readAllBytes(key));

        Run shown = junction(home, "-c", "ems:list; ems:show sc1");
        assertEquals(shown.err(), 0, shown.status());
        assertTrue(shown.out(), shown.out().contains("https://127.0.0.1:" + scvmm.port()));
        assertTrue(shown.out(), shown.out().lines().anyMatch(l -> l.contains(USER) && l.contains("forgotten at ")));
        int before = scvmm.authentications().size();
        Run verify = junction(home, "-c", "ems:verify sc1");
        assertTrue(verify.out() + verify.err(), (verify.out() + verify.err()).contains("was forgotten"));
        assertEquals("nothing was sent for a forgotten secret", before, scvmm.authentications().size());

        // Entered again, it works; a second forget finds nothing to forget.
        enterCredential(home);
        Run again = junction(home, "--forget-secrets");
        assertEquals(again.err(), 0, again.status());
        assertTrue(again.out(), again.out().startsWith("Nothing to forget"));
        assertCredentialWorks(home);
    }

    /** Started by a service manager (no terminal), a refused start ends at once with the same line. */
    @Test
    public void aStartWithoutTheShellIsRefusedToo() throws Exception {
        Path home = home("headless");
        emsWithACredential(home);
        Files.delete(home.resolve("etc/junction.key"));
        Run refused = junction(home);
        assertRefusedWithOneLine(refused, "error: secret key file " + home.resolve("etc/junction.key") + " is missing");
    }

    @Test
    public void everythingUnderDataIsOwnerOnlyWhateverTheUmask() throws Exception {
        Path home = home("modes");
        assertEquals(0, junction(home, "-c", "ems:add microsoft m1").status());
        // As an older Junction left it, under umask 022.
        try (Stream<Path> files = Files.walk(home.resolve("data"))) {
            for (Path p : files.toList()) {
                Set<PosixFilePermission> loose = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                loose.addAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    loose.addAll(Set.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
                }
                Files.setPosixFilePermissions(p, loose);
            }
        }
        Run run = junction(home, "-c", "ems:add microsoft m2; ems:list");
        assertEquals(run.err(), 0, run.status());

        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(home.resolve("data")));
        List<String> open = new ArrayList<>();
        long files;
        try (Stream<Path> walk = Files.walk(home.resolve("data"))) {
            List<Path> all = walk.filter(p -> !Files.isSymbolicLink(p)).toList();
            files = all.stream().filter(Files::isRegularFile).count();
            for (Path p : all) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                permissions.retainAll(GROUP_OR_OTHERS);
                if (!permissions.isEmpty()) {
                    open.add(home.relativize(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            }
        }
        assertTrue("the database, the log and the framework cache are there: " + files, files > 20);
        assertTrue(home.resolve("data/log/junction.log").toFile().isFile());
        assertEquals("open to group or others: " + open, List.of(), open);
    }
}
