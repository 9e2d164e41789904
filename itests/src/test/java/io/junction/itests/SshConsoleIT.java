package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The SSH console of a running headless Junction (started as a service manager would, without a
 * terminal), reached with Apache SSHD's client as an operator's {@code ssh} would: logins by password
 * and key, exec requests with their exit status, the interactive console, the roles, the audit
 * trail, the host key across restarts, and the console turned off by its configuration.
 */
public class SshConsoleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String ALICE_PASSWORD = "Alice-Adm1n-Pa55";
    private static final String OLGA_PASSWORD = "Olga-Operat0r-Pa55";
    private static final String VICTOR_PASSWORD = "Victor-V1ewer-Pa55";
    private static final String EMS = "syn1";

    private static Path home;
    private static int port;
    private static Process junction;
    private static SshClient client;
    private static KeyPair aliceKey;
    private static final AtomicReference<PublicKey> hostKeySeen = new AtomicReference<>();

    record Run(int status, String out, String err) {
    }

    @BeforeClass
    public static void start() throws Exception {
        home = JunctionDistribution.work().resolve("ssh").resolve("junction");
        JunctionDistribution.deleteTree(home.getParent());
        JunctionDistribution.copyTree(JunctionDistribution.dist(), home);
        home.resolve("bin/junction").toFile().setExecutable(true);
        Files.copy(Path.of(System.getProperty("junction.syntheticprovider.jar")), home.resolve("deploy/synthetic-provider.jar"));
        // Junction counts as started once the provider from deploy/ is there too.
        Files.writeString(home.resolve("etc/config.properties"), "\n# the synthetic provider from deploy/\n"
                + "junction.ready.services=(objectClass=io.junction.api.store.EmsStore) "
                + "(&(osgi.command.scope=ems)(osgi.command.function=refresh)) "
                + "(&(objectClass=io.junction.api.service.EmsService)(junction.ems.type=synthetic))\n",
                StandardOpenOption.APPEND);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        configureSsh("enabled = true\naddress = 127.0.0.1\nport = " + port + "\n");

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        aliceKey = generator.generateKeyPair();
        Path pub = home.getParent().resolve("alice.pub");
        Files.writeString(pub, PublicKeyEntry.toString(aliceKey.getPublic()) + " alice@laptop\n");
        Run users = junctionC("user:add alice admin --password-file " + secret("alice", ALICE_PASSWORD)
                + "; user:add olga operator --password-file " + secret("olga", OLGA_PASSWORD)
                + "; user:add victor viewer --password-file " + secret("victor", VICTOR_PASSWORD)
                + "; user:key alice " + pub);
        assertEquals(users.err(), 0, users.status());

        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> {
            hostKeySeen.set(key);
            return true;
        });
        client.start();
        startJunction();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        stopJunction();
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void passwordLoginRunsExecRequestsWithTheirExitStatus() throws Exception {
        Run types = exec("alice", ALICE_PASSWORD, "ems:types");
        assertEquals(types.err(), 0, types.status());
        assertTrue(types.out(), types.out().contains("Microsoft System Center"));
        assertEquals("", types.err());

        Run missing = exec("alice", ALICE_PASSWORD, "ems:show no-such-ems");
        assertEquals(1, missing.status());
        assertEquals("error: no EMS with id or name 'no-such-ems' (see ems:list)\n", missing.err());
        assertTrue(audit().contains("user=alice role=admin origin=ssh/127.0.0.1:"));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=alice") && l.endsWith("outcome=error command=ems:show no-such-ems")));
    }

    @Test
    public void keyLoginNeedsNoPassword() throws Exception {
        try (ClientSession session = connect("alice")) {
            session.addPublicKeyIdentity(aliceKey);
            session.auth().verify(PATIENCE);
            Run list = exec(session, "ems:list");
            assertEquals(list.err(), 0, list.status());
        }
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=alice") && l.endsWith("outcome=ok command=login (public key)")));
        // victor has no key: the same key does not let anyone else in
        try (ClientSession session = connect("victor")) {
            session.addPublicKeyIdentity(aliceKey);
            assertLoginRefused(session);
        }
    }

    /** ssh-ed25519, the kind of key ssh-keygen makes by default. */
    @Test
    public void ed25519KeyLogin() throws Exception {
        // SSHD registers the EdDSA provider JVM-wide, by name; in this JVM a Pax Exam framework of an
        // earlier test class may have left one whose bundle is gone: the client gets the class path's.
        java.security.Security.removeProvider("EdDSA");
        java.security.Security.addProvider(new net.i2p.crypto.eddsa.EdDSASecurityProvider());
        KeyPair ed = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        Path pub = home.getParent().resolve("victor-ed25519.pub");
        Files.writeString(pub, PublicKeyEntry.toString(ed.getPublic()) + " victor@laptop\n");
        Run key = exec("alice", ALICE_PASSWORD, "user:key victor " + pub);
        assertEquals(key.err(), 0, key.status());
        assertTrue(key.out(), key.out().startsWith("Authorized key ssh-ed25519 SHA256:"));
        try (ClientSession session = connect("victor")) {
            session.addPublicKeyIdentity(ed);
            session.auth().verify(PATIENCE);
            Run list = exec(session, "ems:list");
            assertEquals(list.err(), 0, list.status());
        }
        assertEquals(0, exec("alice", ALICE_PASSWORD, "user:key --remove victor victor@laptop").status());
    }

    @Test
    public void wrongPasswordIsRefusedLoggedAndAudited() throws Exception {
        String wrong = "Not-Alices-Password-42";
        try (ClientSession session = connect("alice")) {
            session.addPasswordIdentity(wrong);
            assertLoginRefused(session);
        }
        try (ClientSession session = connect("nobody")) {
            session.addPasswordIdentity(wrong);
            assertLoginRefused(session);
        }
        String log = Files.readString(home.resolve("data/log/junction.log"));
        assertTrue(log, log.contains("login failed: user 'alice' from ssh/127.0.0.1:"));
        assertTrue(log, log.contains("login failed: user 'nobody' from ssh/127.0.0.1:"));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=alice role=-") && l.endsWith("outcome=denied command=login (password)")));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=nobody role=-") && l.endsWith("outcome=denied command=login (password)")));
        assertNoSecretAnywhere(wrong);
    }

    @Test
    public void interactiveSessionRunsACommandAndEndsWithExit() throws Exception {
        try (ClientSession session = connect("olga")) {
            session.addPasswordIdentity(OLGA_PASSWORD);
            session.auth().verify(PATIENCE);
            ChannelShell shell = session.createShellChannel();
            shell.setPtyType("xterm");
            shell.setPtyColumns(120);
            shell.setPtyLines(40);
            PipedOutputStream keyboard = new PipedOutputStream();
            shell.setIn(new PipedInputStream(keyboard));
            Screen screen = new Screen();
            shell.setOut(screen);
            shell.setErr(screen);
            shell.open().verify(PATIENCE);
            Await.until("the greeting and prompt", PATIENCE, screen::text,
                    t -> t.contains("Junction ") && t.contains("olga (operator)") && t.contains("junction> "), String::valueOf);
            keyboard.write("ems:types\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("ems:types to answer", PATIENCE, screen::text, t -> t.contains("Microsoft System Center"), String::valueOf);
            keyboard.write("ems:add microsoft by-olga\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("the refusal", PATIENCE, screen::text, t -> t.contains("error: denied: ems:add needs role admin"), String::valueOf);
            keyboard.write("ems:refresh --help\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("the usage of ems:refresh", PATIENCE, screen::text,
                    t -> t.contains("refresh - refreshes the stored inventory of an EMS"), String::valueOf);
            // Tab completion: command names, EMS names, power actions
            ensureRefreshedEms();
            String vm = firstVm();
            keyboard.write(("ems:sho\t" + EMS.substring(0, 2) + "\t\r").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("ems:show completed and run", PATIENCE, SshConsoleIT::audit,
                    t -> t.lines().anyMatch(l -> l.contains("user=olga") && l.endsWith("outcome=ok command=ems:show " + EMS)), String::valueOf);
            keyboard.write(("ems:power " + EMS + " " + vm + " sto\t\r").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("ems:power completed and run", PATIENCE, SshConsoleIT::audit,
                    t -> t.lines().anyMatch(l -> l.contains("user=olga") && l.endsWith("command=ems:power " + EMS + " " + vm + " stop")), String::valueOf);
            keyboard.write("exit\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Await.until("the session to end after exit", PATIENCE, shell::getExitStatus, status -> status != null, String::valueOf);
            assertEquals(screen.text(), Integer.valueOf(0), shell.getExitStatus());
            Await.until("the channel to close", PATIENCE, shell::isClosed, closed -> closed, String::valueOf);
        }
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=olga role=operator") && l.endsWith("outcome=ok command=ems:types")));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=olga role=operator") && l.endsWith("outcome=denied command=ems:add microsoft by-olga")));
        assertFalse(exec("alice", ALICE_PASSWORD, "ems:list").out().contains("by-olga"));
    }

    @Test
    public void viewerIsDeniedPowerAndAddAndNothingChanges() throws Exception {
        ensureRefreshedEms();
        String before = exec("alice", ALICE_PASSWORD, "ems:list; ems:vms " + EMS + " --limit 3").out();
        String vm = firstVm();

        Run add = exec("victor", VICTOR_PASSWORD, "ems:add microsoft by-victor");
        assertEquals(1, add.status());
        assertEquals("error: denied: ems:add needs role admin\n", add.err());
        Run power = exec("victor", VICTOR_PASSWORD, "ems:power " + EMS + " " + vm + " stop");
        assertEquals(1, power.status());
        assertEquals("error: denied: ems:power needs role operator\n", power.err());
        // Gogo's general-purpose means are the admin's: framework commands, methods on objects, files
        assertEquals("error: denied: felix:lb needs role admin\n", exec("victor", VICTOR_PASSWORD, "lb").err());
        assertEquals("error: denied: calling a method on an object needs role admin\n",
                exec("victor", VICTOR_PASSWORD, "x = ems:list; $x getClass").err());
        assertEquals("error: denied: redirecting to a file needs role admin\n",
                exec("victor", VICTOR_PASSWORD, "ems:list > " + home.resolve("data/victor.txt")).err());
        assertFalse(Files.exists(home.resolve("data/victor.txt")));

        Run view = exec("victor", VICTOR_PASSWORD, "ems:vms " + EMS + " --limit 3");
        assertEquals(view.err(), 0, view.status());
        assertEquals("nothing changed", before, exec("alice", ALICE_PASSWORD, "ems:list; ems:vms " + EMS + " --limit 3").out());
        String audit = audit();
        assertTrue(audit, audit.lines().anyMatch(l -> l.contains("user=victor role=viewer") && l.endsWith("outcome=denied command=ems:add microsoft by-victor")));
        assertTrue(audit, audit.lines().anyMatch(l -> l.contains("user=victor role=viewer") && l.endsWith("outcome=denied command=ems:power " + EMS + " " + vm + " stop")));
    }

    @Test
    public void operatorMayRefreshButNotConfigure() throws Exception {
        ensureRefreshedEms();
        Run refresh = exec("olga", OLGA_PASSWORD, "ems:refresh " + EMS);
        assertEquals(refresh.err(), 0, refresh.status());
        assertTrue(refresh.out(), refresh.out().contains("Refreshed EMS '" + EMS + "'"));
        Run rename = exec("olga", OLGA_PASSWORD, "ems:rename " + EMS + " other");
        assertEquals("error: denied: ems:rename needs role admin\n", rename.err());
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("user=olga role=operator") && l.endsWith("outcome=ok command=ems:refresh " + EMS)));
    }

    @Test
    public void noPasswordEverReachesALogOrAnOutput() throws Exception {
        exec("alice", ALICE_PASSWORD, "ems:list");
        exec("olga", OLGA_PASSWORD, "ems:list");
        exec("victor", VICTOR_PASSWORD, "ems:list");
        String users = Files.readString(home.resolve("etc/users.properties"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/users.properties"))));
        for (String password : List.of(ALICE_PASSWORD, OLGA_PASSWORD, VICTOR_PASSWORD, "sim-secret")) {
            assertNoSecretAnywhere(password);
            assertFalse(users.contains(password));
        }
    }

    /**
     * {@code bin/junction -c} while the instance runs: the commands run in it, through its local
     * socket (data/console.sock, owner-only), with the output, errors and exit status they would
     * have in a Junction of their own; without the socket, through its SSH console with the local
     * client key under etc/ (owner-only), the same.
     */
    @Test
    public void junctionCRunsInTheRunningInstance() throws Exception {
        Path socket = home.resolve("data/console.sock");
        assertTrue("a socket: " + socket, Files.getAttribute(socket, "unix:mode") instanceof Integer mode && (mode & 0170000) == 0140000);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/client-key"))));
        Run ok = junctionC("ems:types; ems:list");
        assertEquals(ok.err(), 0, ok.status());
        assertTrue(ok.out(), ok.out().contains("Microsoft System Center"));
        assertEquals("", ok.err());

        Run failed = junctionC("ems:show no-such-ems; ems:types");
        assertEquals(1, failed.status());
        assertEquals("error: no EMS with id or name 'no-such-ems' (see ems:list)\n", failed.err());
        assertTrue("commands after a failure still run: " + failed.out(), failed.out().contains("Microsoft System Center"));

        // made in the running instance, seen by an SSH user of it
        Run add = junctionC("ems:add microsoft by-local-admin");
        assertEquals(add.err(), 0, add.status());
        assertTrue(exec("victor", VICTOR_PASSWORD, "ems:list").out().contains("by-local-admin"));
        assertEquals(0, junctionC("ems:remove by-local-admin").status());
        // the local console's caller: admin, origin local
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("role=admin origin=local outcome=ok command=ems:add microsoft by-local-admin")));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("role=admin origin=local outcome=error command=ems:show no-such-ems")));

        // Without the socket (an instance whose home path is too long for one), the SSH console.
        Path away = home.resolve("data/console.sock.away");
        Files.move(socket, away);
        try {
            Run viaSsh = junctionC("ems:show no-such-ems; ems:add microsoft by-ssh-admin");
            assertEquals(1, viaSsh.status());
            assertEquals("error: no EMS with id or name 'no-such-ems' (see ems:list)\n", viaSsh.err());
            assertTrue(viaSsh.out(), viaSsh.out().contains("by-ssh-admin"));
        } finally {
            Files.move(away, socket);
        }
        assertEquals(0, junctionC("ems:remove by-ssh-admin").status());
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("role=admin origin=local/127.0.0.1:")
                && l.endsWith("outcome=ok command=ems:add microsoft by-ssh-admin")));
    }

    /**
     * A secret typed to a command run with {@code bin/junction -c} in the running instance (read
     * from standard input here) reaches the command, and neither the audit, the main log nor the
     * output: not the credential's, not a new user's password.
     */
    @Test
    public void aSecretTypedThroughJunctionCReachesTheCommandAndNoLogOrOutput() throws Exception {
        String credentialSecret = "Typed-Cred-" + System.nanoTime();
        assertEquals(0, junctionC("ems:add synthetic typed1; ems:connect typed1 sim sim.example --path /vms=3").status());
        String password = "Typed-Pa55-" + System.nanoTime();
        // two commands of one -c line, each reading the line typed for it
        Run credential = junctionC("ems:types; ems:credential typed1 --role sim --user typed-reader; user:add tina viewer",
                credentialSecret + "\n" + password + "\n");
        assertEquals(credential.err(), 0, credential.status());
        assertTrue(credential.out(), credential.out().contains("Set password credential") && credential.out().contains("Added user 'tina'"));
        Run user = junctionC("user:passwd tina", password + "\n");
        assertEquals(user.err(), 0, user.status());
        // the password arrived whole: tina logs in with it
        assertEquals(0, exec("tina", password, "ems:list").status());
        for (Run run : List.of(credential, user)) {
            for (String secret : List.of(credentialSecret, password)) {
                assertFalse(run.out() + run.err(), (run.out() + run.err()).contains(secret));
            }
        }
        assertNoSecretAnywhere(credentialSecret);
        assertNoSecretAnywhere(password);
        assertFalse(Files.readString(home.resolve("etc/users.properties")).contains(password));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("origin=local outcome=ok command=ems:credential typed1 --role sim --user typed-reader")));
        assertTrue(audit(), audit().lines().anyMatch(l -> l.contains("origin=local outcome=ok command=user:add tina viewer")));
        assertEquals(0, junctionC("ems:remove typed1; user:remove tina").status());
    }

    /**
     * A command that runs until interrupted ({@code ems:events --follow}), started with
     * {@code bin/junction -c} in the running instance, ends there when that process goes away (as
     * Ctrl-C ends it), though it prints nothing: no thread is left following for nobody.
     */
    @Test
    public void aFollowingCommandEndsWhenItsJunctionCGoesAway() throws Exception {
        ensureRefreshedEms();
        String command = "ems:events " + EMS + " --follow";
        Path out = Files.createTempFile(JunctionDistribution.work(), "junction-follow", ".txt");
        Process p = new ProcessBuilder(home.resolve("bin/junction").toString(), "-c", command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // still following after a while (nothing ends it but the client going away)
            assertFalse(Files.readString(out), p.waitFor(3, TimeUnit.SECONDS));
            p.destroy();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            Await.until("the command to end in the instance", PATIENCE, SshConsoleIT::audit,
                    t -> t.lines().anyMatch(l -> l.contains("origin=local ") && l.endsWith("command=" + command)), String::valueOf);
        } finally {
            p.destroyForcibly();
            Files.delete(out);
        }
    }

    /**
     * {@code --help} (and {@code -h}) on a command prints its usage and runs nothing, through SSH
     * exec and through {@code bin/junction -c} to the running instance; exit status 0.
     */
    @Test
    public void helpOptionPrintsTheUsageThroughEveryRemoteDoor() throws Exception {
        String before = exec("alice", ALICE_PASSWORD, "ems:list").out();
        Run vms = exec("victor", VICTOR_PASSWORD, "ems:vms --help");
        assertEquals(vms.err(), 0, vms.status());
        assertTrue(vms.out(), vms.out().contains("vms - lists the VMs of an EMS") && vms.out().contains("--filter"));
        assertEquals("", vms.err());
        Run add = exec("alice", ALICE_PASSWORD, "ems:add -h");
        assertEquals(add.err(), 0, add.status());
        assertTrue(add.out(), add.out().contains("add - "));
        Run key = exec("alice", ALICE_PASSWORD, "user:key --help");
        assertEquals(key.err(), 0, key.status());
        assertTrue(key.out(), key.out().contains("scope: user"));
        // an option's value is not a request for help
        Run filtered = exec("alice", ALICE_PASSWORD, "ems:vms no-such-ems --filter -h");
        assertEquals("error: no EMS with id or name 'no-such-ems' (see ems:list)\n", filtered.err());

        Run local = junctionC("ems:remove --help; ems:power -h; user:passwd --help");
        assertEquals(local.err(), 0, local.status());
        assertEquals("", local.err());
        assertTrue(local.out(), local.out().contains("remove - ") && local.out().contains("power - ") && local.out().contains("passwd - "));
        assertEquals("nothing changed", before, exec("alice", ALICE_PASSWORD, "ems:list").out());
        // a role's help is no way around it
        assertEquals("error: denied: ems:power needs role operator\n", exec("victor", VICTOR_PASSWORD, "ems:power --help").err());
    }

    /** {@code help} lists for a remote caller only the commands their role may run, and describes only those. */
    @Test
    public void helpListsOnlyTheCommandsTheCallerMayRun() throws Exception {
        Run viewer = exec("victor", VICTOR_PASSWORD, "help");
        assertEquals(viewer.err(), 0, viewer.status());
        List<String> listed = viewer.out().lines().map(String::strip).toList();
        assertTrue(viewer.out(), listed.containsAll(List.of("ems:list", "ems:vms", "ems:show", "felix:help")));
        for (String hidden : List.of("ems:power", "ems:refresh", "ems:add", "user:add", "felix:lb", "felix:install")) {
            assertFalse(hidden + " offered to a viewer:\n" + viewer.out(), listed.contains(hidden));
        }
        Run operator = exec("olga", OLGA_PASSWORD, "help");
        assertTrue(operator.out(), operator.out().lines().map(String::strip).toList().containsAll(List.of("ems:power", "ems:refresh")));
        assertFalse(operator.out(), operator.out().lines().map(String::strip).toList().contains("ems:add"));
        Run admin = exec("alice", ALICE_PASSWORD, "help");
        assertTrue(admin.out(), admin.out().lines().map(String::strip).toList().containsAll(List.of("ems:power", "ems:add", "user:add", "felix:lb")));

        Run described = exec("victor", VICTOR_PASSWORD, "help ems:power");
        assertEquals(1, described.status());
        assertEquals("error: denied: ems:power needs role operator\n", described.err());
        // by function name, only the commands the caller may run: ems:list, not user:list
        Run list = exec("victor", VICTOR_PASSWORD, "help list");
        assertEquals(list.err(), 0, list.status());
        assertTrue(list.out(), list.out().contains("scope: ems"));
        assertFalse(list.out(), list.out().contains("scope: user"));
    }

    /** The host key is made once (owner-only) and the same key answers after a restart. */
    @Test
    public void hostKeyIsKeptAcrossRestartsAndTheConsoleTurnsOffByConfiguration() throws Exception {
        Path keyFile = home.resolve("etc/ssh-host-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        exec("alice", ALICE_PASSWORD, "ems:list");
        String before = KeyUtils.getFingerPrint(hostKeySeen.get());
        stopJunction();
        startJunction();
        exec("alice", ALICE_PASSWORD, "ems:list");
        assertEquals(before, KeyUtils.getFingerPrint(hostKeySeen.get()));

        // Off, live: nobody listens any more; on again, live.
        configureSsh("enabled = false\naddress = 127.0.0.1\nport = " + port + "\n");
        Await.until("the console to stop listening", PATIENCE, SshConsoleIT::listening, l -> !l, String::valueOf);
        configureSsh("enabled = true\naddress = 127.0.0.1\nport = " + port + "\n");
        Await.until("the console to listen again", PATIENCE, SshConsoleIT::listening, l -> l, String::valueOf);
        assertEquals(0, exec("alice", ALICE_PASSWORD, "ems:list").status());
    }

    // ---------------------------------------------------------------------------------------------

    private static void ensureRefreshedEms() throws Exception {
        if (!exec("alice", ALICE_PASSWORD, "ems:list").out().contains(EMS)) {
            Run setup = exec("alice", ALICE_PASSWORD, "ems:add synthetic " + EMS + "; ems:connect " + EMS
                    + " sim sim.example --path /vms=50/hosts=4/clusters=2; ems:credential " + EMS
                    + " --role sim --user sim-reader --secret-file " + secret("sim", "sim-secret") + "; ems:refresh " + EMS);
            assertEquals(setup.err(), 0, setup.status());
        }
    }

    private static String firstVm() throws Exception {
        String out = exec("alice", ALICE_PASSWORD, "ems:vms " + EMS + " --limit 1").out();
        return out.lines().skip(1).findFirst().orElseThrow(() -> new AssertionError("no VM:\n" + out)).split("\\s+")[0];
    }

    private static void assertNoSecretAnywhere(String secret) throws IOException {
        try (var files = Files.walk(home.resolve("data/log"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(secret + " in " + f, Files.readString(f, StandardCharsets.ISO_8859_1).contains(secret));
            }
        }
    }

    private static boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String audit() throws IOException {
        return Files.readString(home.resolve("data/log/audit.log"));
    }

    private static void assertLoginRefused(ClientSession session) {
        try {
            session.auth().verify(PATIENCE);
            fail("login accepted");
        } catch (IOException expected) {
            // refused
        }
    }

    private static ClientSession connect(String user) throws IOException {
        return client.connect(user, "127.0.0.1", port).verify(PATIENCE).getSession();
    }

    private static Run exec(String user, String password, String command) throws Exception {
        try (ClientSession session = connect(user)) {
            session.addPasswordIdentity(password);
            session.auth().verify(PATIENCE);
            return exec(session, command);
        }
    }

    private static Run exec(ClientSession session, String command) throws Exception {
        try (ChannelExec channel = session.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(PATIENCE);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), PATIENCE);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), PATIENCE);
            Integer status = channel.getExitStatus();
            return new Run(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static String secret(String name, String value) throws IOException {
        Path f = home.getParent().resolve(name + ".secret");
        Files.writeString(f, value + "\n");
        return f.toString();
    }

    private static void configureSsh(String text) throws IOException {
        // written whole to a temporary file and moved, so the etc/ watcher never reads half a file
        Path tmp = home.resolve("io.junction.ssh.cfg.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, home.resolve("etc/io.junction.ssh.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Run junctionC(String commands) throws Exception {
        return junctionC(commands, null);
    }

    /** bin/junction -c with this text on its standard input (none: /dev/null), as an operator would type it. */
    private static Run junctionC(String commands, String typed) throws Exception {
        Path in = null;
        if (typed != null) {
            in = Files.createTempFile(JunctionDistribution.work(), "junction-in", ".txt");
            Files.writeString(in, typed);
        }
        Path out = Files.createTempFile(JunctionDistribution.work(), "junction-out", ".txt");
        Path err = Files.createTempFile(JunctionDistribution.work(), "junction-err", ".txt");
        Process p = new ProcessBuilder(home.resolve("bin/junction").toString(), "-c", commands)
                .redirectInput(ProcessBuilder.Redirect.from(in == null ? new java.io.File("/dev/null") : in.toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("bin/junction -c \"" + commands + "\" did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
            if (in != null) {
                Files.delete(in);
            }
        }
    }

    /** Headless, as under a service manager: no terminal on standard input. */
    private static void startJunction() throws Exception {
        Path out = home.getParent().resolve("junction.out");
        junction = new ProcessBuilder(home.resolve("bin/junction").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        long pid = junction.pid();
        Await.until("Junction to run headless", PATIENCE, () -> Files.readString(out),
                t -> t.contains("stop it with SIGTERM: kill " + pid), String::valueOf);
        Await.until("the SSH console to listen", PATIENCE, SshConsoleIT::listening, l -> l, String::valueOf);
    }

    private static void stopJunction() throws InterruptedException {
        Process p = junction;
        if (p != null) {
            p.destroy(); // SIGTERM: stops in order
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            junction = null;
        }
    }

    /** What the client's terminal shows, readable while the session runs. */
    private static final class Screen extends OutputStream {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(int b) {
            text.append((char) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            text.append(new String(b, off, len, StandardCharsets.UTF_8));
        }

        String text() {
            return text.toString();
        }
    }
}
