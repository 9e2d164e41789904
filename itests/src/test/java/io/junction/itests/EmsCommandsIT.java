package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.Secret;
import io.junction.api.store.EmsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.sql.DataSource;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The ems:* commands on the distribution's bundles: providers, connections and credentials
 * are stored as asked, secrets stay hidden, and bad input changes nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmsCommandsIT {

    @Inject
    private CommandProcessor processor;

    @Inject
    private EmsStore store;

    @Inject
    @Filter("(osgi.jndi.service.name=junction)")
    private DataSource dataSource;

    @Inject
    private BundleContext context;

    private GogoShell shell;

    @Configuration
    public Option[] config() {
        return JunctionDistribution.options(JunctionDistribution.freshHome("ems-commands"));
    }

    @Before
    public void shell() {
        shell = new GogoShell(processor);
    }

    private static Path secretFile(String content) throws Exception {
        Path file = Files.createTempFile("junction-secret", ".txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        file.toFile().deleteOnExit();
        return file;
    }

    @Test
    public void microsoftEmsWithTwoServersTwoCredentialsAndAnEmsKeyPair() throws Exception {
        shell.exec("ems:add microsoft sc-two");
        shell.exec("ems:connect sc-two scvmm vmm01.corp.example");
        shell.exec("ems:connect sc-two scom scom01.corp.example --port 5986");
        shell.exec("ems:credential sc-two --role scvmm --user CORP\\\\vmm-reader --secret-file " + secretFile("Vmm-Secret-1\n"));
        shell.exec("ems:credential sc-two --role scom --user CORP\\\\scom-reader --secret-file " + secretFile("Scom-Secret-2\n"));
        shell.exec("ems:credential sc-two --kind key-pair --user deploy --secret-file "
                + secretFile("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));

        Ems ems = store.requireEms("sc-two");
        List<Connection> connections = store.connections(ems.id());
        Connection scvmm = connections.stream().filter(c -> c.role().equals("scvmm")).findFirst().orElseThrow();
        Connection scom = connections.stream().filter(c -> c.role().equals("scom")).findFirst().orElseThrow();
        assertEquals("vmm01.corp.example", scvmm.host());
        assertEquals(5986, scvmm.port());
        assertEquals("https", scvmm.scheme());
        assertTrue(scvmm.verifyTls());
        assertTrue(scvmm.defaultForRole());

        Credential vmmCredential = store.credentialOf(scvmm.id()).orElseThrow();
        Credential scomCredential = store.credentialOf(scom.id()).orElseThrow();
        assertEquals("CORP\\vmm-reader", vmmCredential.user());
        assertEquals("CORP\\scom-reader", scomCredential.user());
        try (Secret s = store.revealSecret(vmmCredential.id())) {
            assertEquals("Vmm-Secret-1", new String(s.reveal()));
        }
        try (Secret s = store.revealSecret(scomCredential.id())) {
            assertEquals("Scom-Secret-2", new String(s.reveal()));
        }
        List<Credential> credentials = store.credentials(ems.id());
        assertEquals(3, credentials.size());
        Credential keyPair = credentials.get(2);
        assertTrue(keyPair.emsLevel());
        assertEquals(CredentialKind.KEY_PAIR, keyPair.kind());

        String shown = shell.exec("ems:show sc-two");
        assertTrue(shown, shown.contains("https://vmm01.corp.example:5986"));
        assertTrue(shown, shown.contains("https://scom01.corp.example:5986"));
        assertTrue(shown, shown.contains(Secret.MASK));
        assertFalse(shown, shown.contains("Vmm-Secret-1"));
        assertFalse(shown, shown.contains("Scom-Secret-2"));
        assertFalse(shown, shown.contains("PRIVATE KEY"));

        // Setting a connection's credential again replaces it rather than adding a second one.
        shell.exec("ems:credential sc-two --role scvmm --user CORP\\\\vmm-admin --secret-file " + secretFile("Vmm-Secret-3"));
        assertEquals(3, store.credentials(ems.id()).size());
        assertEquals("CORP\\vmm-admin", store.credentialOf(scvmm.id()).orElseThrow().user());
    }

    @Test
    public void listRenameDisconnectUncredentialAndRemove() throws Exception {
        shell.exec("ems:add openstack \"Lab Cloud\"");
        assertTrue(shell.exec("ems:list").contains("Lab Cloud"));
        shell.exec("ems:connect \"Lab Cloud\" identity [fd00::10] --port 5000 --path /v3");
        shell.exec("ems:connect \"Lab Cloud\" amqp 10.0.0.5 --scheme amqp");
        shell.exec("ems:credential \"Lab Cloud\" --role identity --user admin --secret-file " + secretFile("os-pass"));
        Ems ems = store.requireEms("Lab Cloud");
        Connection identity = store.connections(ems.id()).stream().filter(c -> c.role().equals("identity")).findFirst().orElseThrow();
        assertEquals("fd00::10", identity.host());
        assertEquals("https://[fd00::10]:5000/v3", identity.url());
        assertTrue(shell.exec("ems:show \"Lab Cloud\"").contains("credentials travel unencrypted"));

        shell.exec("ems:rename \"Lab Cloud\" lab2");
        assertEquals(ems.id(), store.requireEms("lab2").id());
        assertTrue(store.findEmsByName("Lab Cloud").isEmpty());

        shell.exec("ems:uncredential lab2 --role identity");
        assertTrue(store.credentialOf(identity.id()).isEmpty());
        shell.exec("ems:credential lab2 --role identity --user admin --secret-file " + secretFile("os-pass"));
        shell.exec("ems:disconnect lab2 identity");
        assertTrue(store.findConnection(identity.id()).isEmpty());
        assertTrue("the connection's credential goes with it", store.credentials(ems.id()).isEmpty());

        shell.exec("ems:remove " + ems.id());
        assertTrue(store.findEms(ems.id()).isEmpty());
        assertTrue(store.connections(ems.id()).isEmpty());
    }

    /**
     * Every ems:* and user:* function registered, whichever bundle brings it, answers --help and -h
     * with its usage (as 'help' describes it) and runs nothing: a new command cannot miss it.
     */
    @Test
    public void everyCommandAnswersHelpWithItsUsage() throws Exception {
        Await.until("--help on the commands (console-ssh)", java.time.Duration.ofSeconds(60),
                () -> context.getServiceReferences((String) null, "(junction.console.usage=true)"),
                refs -> refs != null, String::valueOf);
        String before = shell.exec("ems:list");
        List<String> functions = new java.util.ArrayList<>();
        for (ServiceReference<?> ref : context.getServiceReferences((String) null, "(|(osgi.command.scope=ems)(osgi.command.scope=user))")) {
            Object names = ref.getProperty("osgi.command.function");
            for (Object f : names instanceof Object[] a ? a : new Object[] {names}) {
                functions.add(ref.getProperty("osgi.command.scope") + ":" + f);
            }
        }
        assertTrue(functions.toString(), functions.containsAll(List.of("ems:vms", "ems:add", "ems:power", "user:add", "user:list")));
        for (String command : functions) {
            String function = command.substring(command.indexOf(':') + 1);
            String scope = command.substring(0, command.indexOf(':'));
            for (String option : List.of("--help", "-h")) {
                String usage = shell.exec(command + " " + option);
                assertTrue(command + " " + option + ":\n" + usage, usage.startsWith(function + " - ") && usage.contains("scope: " + scope));
            }
        }
        assertEquals("nothing changed", before, shell.exec("ems:list"));
    }

    @Test
    public void onDerbyThisNodeRunsTheBackgroundWorkOfEveryEms() throws Exception {
        shell.exec("ems:add microsoft owned-1");
        shell.exec("ems:add openstack owned-2");
        String nodes = shell.exec("ems:nodes");
        List<String> rows = nodes.lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertEquals(nodes, 1, rows.size());
        String row = rows.get(0);
        assertTrue(nodes, row.contains("(this node)") && row.contains(" yes "));
        assertTrue(nodes, row.contains("owned-1") && row.contains("owned-2"));
        String name = row.substring(0, row.indexOf(" (this node)"));
        assertTrue(name, name.matches(".+-[0-9a-f]{8}"));
        String shown = shell.exec("ems:show owned-1");
        assertTrue(shown, shown.contains("Background work on node " + name + "\n"));
    }

    @Test
    public void typesListsBothProviders() throws Exception {
        String types = shell.exec("ems:types");
        assertTrue(types, types.contains("microsoft"));
        assertTrue(types, types.contains("scvmm"));
        assertTrue(types, types.contains("scom"));
        assertTrue(types, types.contains("openstack"));
        assertTrue(types, types.contains("discovered by identity"));
    }

    /** Everything stored, as text: what bad input must leave untouched. */
    private String snapshot() {
        return store.listEms().stream().map(e -> e + "\n" + store.connections(e.id()) + "\n" + store.credentials(e.id()))
                .collect(Collectors.joining("\n"));
    }

    private void rejected(String command, String expected) {
        String before = snapshot();
        String message = shell.fail(command);
        assertTrue("'" + command + "' said: " + message, message != null && message.contains(expected));
        assertFalse("one line: " + message, message.contains("\n"));
        assertTrue("a bad value is quoted shortened: " + message, message.length() < 300);
        assertEquals("'" + command + "' changed nothing", before, snapshot());
    }

    @Test
    public void everyCommandRejectsBadInputAndChangesNothing() throws Exception {
        shell.exec("ems:add microsoft bad1");
        shell.exec("ems:connect bad1 scvmm vmm.example.test");
        shell.exec("ems:add microsoft bad2");
        Path notPem = secretFile("just some text");
        Path empty = secretFile("");

        rejected("ems:add nosuch x", "unknown provider type 'nosuch'; installed types: microsoft, openstack");
        rejected("ems:add microsoft bad1", "an EMS named 'bad1' already exists");
        rejected("ems:add microsoft 42", "must not be only digits");
        rejected("ems:add microsoft \"\"", "EMS name must not be empty");
        rejected("ems:show nosuch", "no EMS with id or name 'nosuch'");
        rejected("ems:show 987654", "no EMS with id or name '987654'");
        rejected("ems:rename bad1 bad2", "an EMS named 'bad2' already exists");
        rejected("ems:remove nosuch", "no EMS with id or name 'nosuch'");
        rejected("ems:connect nosuch scvmm h.example", "no EMS with id or name 'nosuch'");
        rejected("ems:connect bad1 nosuchrole h.example", "unknown role 'nosuchrole' for provider type 'microsoft'; its roles: scvmm, scom");
        rejected("ems:connect bad1 scom h.example --port 0", "port must be a number from 1 to 65535, got '0'");
        rejected("ems:connect bad1 scom h.example --port 65536", "port must be a number from 1 to 65535, got '65536'");
        rejected("ems:connect bad1 scom h.example --port abc", "port must be a number from 1 to 65535, got 'abc'");
        rejected("ems:connect bad1 scom \"\"", "host must not be empty");
        rejected("ems:connect bad1 scom bad_host!", "malformed host 'bad_host!'");
        rejected("ems:connect bad1 scom -x.example", "malformed host");
        rejected("ems:connect bad1 scom 10.0.0.300", "not a valid IPv4 address");
        rejected("ems:connect bad1 scom fe80::1::2", "not a valid IPv6 address");
        rejected("ems:connect bad1 scom h.example --scheme ftp", "scheme 'ftp' is not valid for role 'scom'");
        rejected("ems:connect bad1 scvmm vmm.example.test", "already has a scvmm connection to vmm.example.test:5986");
        rejected("ems:connect bad1 scom h.example --ca-file /nonexistent/ca.pem", "CA file not found: '/nonexistent/ca.pem'");
        rejected("ems:connect bad1 scom h.example --ca-file " + notPem, "CA certificate is not PEM");
        rejected("ems:disconnect bad1 scom", "EMS 'bad1' has no scom connection");
        rejected("ems:disconnect bad1 99999", "EMS 'bad1' has no connection 99999");
        rejected("ems:credential bad1 --role scom --user u --secret-file " + notPem, "EMS 'bad1' has no scom connection");
        rejected("ems:credential bad1 --role nosuchrole --user u --secret-file " + notPem, "unknown role 'nosuchrole'");
        rejected("ems:credential bad1 --role scvmm --user u", "missing secret");
        rejected("ems:credential bad1 --role scvmm --user u --secret-file " + empty, "missing secret");
        rejected("ems:credential bad1 --role scvmm --user u --secret-file /nonexistent/secret", "secret file not found");
        rejected("ems:credential bad1 --role scvmm --secret-file " + notPem, "a password credential needs --user");
        rejected("ems:credential bad1 --role scvmm --kind magic --user u --secret-file " + notPem, "unknown credential kind 'magic'");
        rejected("ems:uncredential bad1", "exactly one of --role, --connection or --id");
        rejected("ems:uncredential bad1 --role scvmm", "has no credential");
        rejected("ems:uncredential bad1 --id x", "credential id must be a number");
    }

    /** Names and hosts that would read differently from what they are: control and format characters. */
    @Test
    public void namesAndHostsWithHiddenCharactersAreRefused() throws Exception {
        shell.exec("ems:add microsoft hidden1");
        shell.exec("ems:connect hidden1 scvmm vmm.hidden.test");
        Path pw = secretFile("pw");

        rejected("ems:add microsoft \"name\u202E\"", "EMS name must not contain control or format characters (found \\u202E): 'name\\u202E'");
        rejected("ems:add microsoft \"sc\u200B1\"", "EMS name must not contain control or format characters (found \\u200B)");
        rejected("ems:add microsoft \"\uFEFFsc2\"", "(found \\uFEFF)");
        rejected("ems:rename hidden1 \"\u2066hidden2\u2069\"", "(found \\u2066)");
        // IDNA would silently drop the zero-width space and store another host than the one typed.
        rejected("ems:connect hidden1 scom \"scom\u200B.example\"", "host must not contain control or format characters (found \\u200B)");
        rejected("ems:connect hidden1 scom \"scom.example\u202E\"", "host must not contain control or format characters (found \\u202E)");
        rejected("ems:connect hidden1 scom h.example --path \"/wsman\u202E\"", "path must not contain control or format characters");
        rejected("ems:credential hidden1 --role scvmm --user \"adm\u202Ein\" --secret-file " + pw,
                "user must not contain control or format characters (found \\u202E)");
        rejected("ems:credential hidden1 --kind token --user \"\u200D\" --secret-file " + pw, "user must not contain control or format characters");
        assertEquals("hidden1", store.requireEms("hidden1").name());
    }

    /** A value of 10,000 characters is quoted shortened in the error line. */
    @Test
    public void errorLinesQuoteLongValuesShortened() throws Exception {
        shell.exec("ems:add microsoft long1");
        String longHost = "h".repeat(10_000);
        rejected("ems:connect long1 scom " + longHost, "malformed host '" + "h".repeat(80) + "…'");
        rejected("ems:add microsoft " + "n".repeat(10_000), "EMS name is longer than 64 characters: '" + "n".repeat(80) + "…'");
        rejected("ems:connect long1 scom h.example --scheme " + "s".repeat(10_000), "scheme '" + "s".repeat(80) + "…'");
        rejected("ems:vms long1 --state " + "x".repeat(10_000), "unknown state '" + "x".repeat(80) + "…'");
        rejected("ems:show " + "y".repeat(10_000), "no EMS with id or name '" + "y".repeat(80) + "…'");
    }

    /** Options given as "" would silently mean their default; they are refused instead. */
    @Test
    public void emptyOptionValuesAreRefusedRatherThanTakenForTheDefault() throws Exception {
        shell.exec("ems:add microsoft empty1");
        shell.exec("ems:connect empty1 scvmm vmm.empty.test");
        Path pw = secretFile("pw");

        rejected("ems:connect empty1 scom h.example --scheme \"\"", "--scheme must not be empty; leave it out for the role's default scheme");
        rejected("ems:connect empty1 scom h.example --port \"\"", "--port must not be empty");
        rejected("ems:connect empty1 scom h.example --path \"\"", "--path must not be empty");
        rejected("ems:connect empty1 scom h.example --ca-file \"\"", "--ca-file must not be empty");
        rejected("ems:credential empty1 --role \"\" --user u --secret-file " + pw, "--role must not be empty");
        rejected("ems:credential empty1 --connection \"\" --user u --secret-file " + pw, "--connection must not be empty");
        rejected("ems:credential empty1 --kind token --user \"\" --secret-file " + pw, "--user must not be empty");
        rejected("ems:credential empty1 --role scvmm --user u --secret-file \"\"", "--secret-file must not be empty");
        rejected("ems:uncredential empty1 --id \"\"", "--id must not be empty");
        rejected("ems:vms empty1 --state \"\"", "--state must not be empty");
        rejected("ems:vms empty1 --filter \"\"", "--filter must not be empty");
        rejected("ems:templates empty1 --filter \"\"", "--filter must not be empty");
        // Left out, they still mean the default.
        shell.exec("ems:connect empty1 scom h.example");
        assertEquals("https", store.connections(store.requireEms("empty1").id()).stream().filter(c -> c.role().equals("scom"))
                .findFirst().orElseThrow().scheme());
    }

    /** A secret file is a regular file of at most 64 KiB; a device, a FIFO or a directory is refused before it is opened. */
    @Test
    public void secretFilesAreReadWithABound() throws Exception {
        shell.exec("ems:add microsoft files1");
        shell.exec("ems:connect files1 scvmm vmm.files.test");
        Path directory = Files.createTempDirectory("junction-secret-dir");
        directory.toFile().deleteOnExit();
        Path tooLarge = secretFile("x".repeat(70 * 1024));
        Path tooLongForTheStore = secretFile("k".repeat(20_000));

        rejected("ems:credential files1 --role scvmm --user u --secret-file /dev/zero",
                "secret file '/dev/zero' is not a regular file (a FIFO, device or socket)");
        rejected("ems:credential files1 --role scvmm --user u --secret-file " + directory, "secret file '" + directory + "' is a directory");
        rejected("ems:credential files1 --role scvmm --user u --secret-file " + tooLarge, "is larger than 64 KiB");
        rejected("ems:credential files1 --kind key-pair --user u --secret-file " + tooLongForTheStore, "secret is longer than 16,000 bytes");
        rejected("ems:connect files1 scom h.example --ca-file /dev/zero", "CA file '/dev/zero' is not a regular file");
        Path fifo = directory.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            // Opening a FIFO waits for a writer: refused without opening it.
            rejected("ems:credential files1 --role scvmm --user u --secret-file " + fifo, "is not a regular file");
            Files.delete(fifo);
        }
        // A key pair well within the bound is stored whole.
        String key = "-----BEGIN PRIVATE KEY-----\n" + "A".repeat(3_000) + "\n-----END PRIVATE KEY-----\n";
        shell.exec("ems:credential files1 --kind key-pair --user deploy --secret-file " + secretFile(key));
        Credential stored = store.credentials(store.requireEms("files1").id()).get(0);
        try (Secret s = store.revealSecret(stored.id())) {
            assertEquals(key, new String(s.reveal()));
        }
    }

    @Test
    public void connectionsOfOneRoleInTheOrderTheOperatorSets() throws Exception {
        shell.exec("ems:add microsoft pair1");
        shell.exec("ems:connect pair1 scvmm vmm-a.corp.example");
        String added = shell.exec("ems:connect pair1 scvmm vmm-b.corp.example");
        assertTrue(added, added.contains("priority 2 of 2 (a standby)"));
        String first = shell.exec("ems:connect pair1 scvmm vmm-c.corp.example --priority 1");
        assertTrue(first, first.contains("priority 1 of 3 (the scvmm default)"));
        shell.exec("ems:connect pair1 scom scom-a.corp.example --priority 5");
        Ems ems = store.requireEms("pair1");
        assertEquals("vmm-c=1 vmm-a=2 vmm-b=3 scom-a=1", order(ems));
        assertEquals("vmm-c.corp.example", Connection.forRole(store.connections(ems.id()), "scvmm").orElseThrow().host());

        long vmmB = idOf(ems, "vmm-b.corp.example");
        String moved = shell.exec("ems:priority pair1 " + vmmB + " 1");
        assertTrue(moved, moved.contains("priority 1 of 3 (the scvmm default)"));
        assertEquals("vmm-b=1 vmm-c=2 vmm-a=3 scom-a=1", order(ems));
        shell.exec("ems:priority pair1 " + vmmB + " 9");
        assertEquals("vmm-c=1 vmm-a=2 vmm-b=3 scom-a=1", order(ems));

        String shown = shell.exec("ems:show pair1");
        assertTrue(shown, shown.contains("PRIORITY"));
        assertTrue(shown, shown.lines().anyMatch(l -> l.contains("vmm-c.corp.example") && l.contains("1 (default)")));
        assertTrue(shown, shown.lines().anyMatch(l -> l.contains("vmm-b.corp.example") && l.contains("3 (standby)")));

        // A role named in a command means its default; removing the default makes the next one the default.
        shell.exec("ems:disconnect pair1 scvmm");
        assertEquals("vmm-a=1 vmm-b=2 scom-a=1", order(ems));

        String before = snapshot();
        rejected("ems:priority pair1 " + vmmB + " 0", "priority must be a number from 1 (tried first) to 99, got '0'");
        rejected("ems:priority pair1 " + vmmB + " x", "priority must be a number from 1 (tried first) to 99, got 'x'");
        rejected("ems:priority pair1 scvmm 1", "name the connection by its id (see ems:show), got 'scvmm'");
        rejected("ems:priority pair1 987654 1", "EMS 'pair1' has no connection 987654");
        rejected("ems:connect pair1 scvmm vmm-d.corp.example --priority 100", "priority must be a number from 1 (tried first) to 99");
        rejected("ems:connect pair1 scvmm vmm-d.corp.example --priority \"\"", "--priority must not be empty");
        rejected("ems:connect pair1 scvmm vmm-d.corp.example --default --priority 2", "give --default or --priority 2, not both");
        assertEquals(before, snapshot());
    }

    private String order(Ems ems) {
        return store.connections(ems.id()).stream().sorted(java.util.Comparator.comparing((Connection c) -> !c.role().equals("scvmm"))
                        .thenComparing(Connection.BY_PRIORITY))
                .map(c -> c.host().substring(0, c.host().indexOf('.')) + "=" + c.priority()).collect(Collectors.joining(" "));
    }

    private long idOf(Ems ems, String host) {
        return store.connections(ems.id()).stream().filter(c -> c.host().equals(host)).findFirst().orElseThrow().id();
    }

    @Test
    public void storeRefusesACredentialOnAnotherEmssConnection() {
        Ems a = store.createEms("microsoft", "owner-a");
        Ems b = store.createEms("microsoft", "owner-b");
        Connection onA = store.addConnection(a.id(), io.junction.api.ConnectionSpec.of("scvmm", "a.example"));
        String before = snapshot();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.setCredential(b.id(), onA.id(),
                new CredentialSpec(CredentialKind.PASSWORD, "u", Secret.of("p".toCharArray()))));
        assertTrue(e.getMessage(), e.getMessage().contains("does not belong to EMS"));
        assertEquals(before, snapshot());
    }

    @Test
    public void schemaEnforcesTheRulesOnItsOwn() throws Exception {
        Ems a = store.createEms("microsoft", "schema-a");
        Ems b = store.createEms("microsoft", "schema-b");
        Connection onA = store.addConnection(a.id(), io.junction.api.ConnectionSpec.of("scvmm", "a.example"));
        store.setCredential(a.id(), onA.id(), new CredentialSpec(CredentialKind.PASSWORD, "u", Secret.of("p".toCharArray())));
        try (java.sql.Connection c = dataSource.getConnection()) {
            assertSqlState("23505", () -> update(c, "INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('schema-a', 'microsoft', CURRENT_TIMESTAMP)"));
            assertSqlState("23505", () -> update(c, "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, PRIORITY, DISCOVERED, CREATED)"
                    + " VALUES (" + a.id() + ", 'scvmm', 'a.example', 5986, 'https', '', TRUE, 2, FALSE, CURRENT_TIMESTAMP)"));
            assertSqlState("23513", () -> update(c, "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, PRIORITY, DISCOVERED, CREATED)"
                    + " VALUES (" + a.id() + ", 'scom', 'a.example', 70000, 'https', '', TRUE, 1, FALSE, CURRENT_TIMESTAMP)"));
            assertSqlState("23513", () -> update(c, "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, PRIORITY, DISCOVERED, CREATED)"
                    + " VALUES (" + a.id() + ", 'scom', 'b.example', 5986, 'https', '', TRUE, 0, FALSE, CURRENT_TIMESTAMP)"));
            // A credential of EMS b that points at a connection of EMS a.
            assertSqlState("23503", () -> update(c, "INSERT INTO JN_AUTHENTICATION (EMS_ID, CONNECTION_ID, KIND, PRINCIPAL, SECRET, UPDATED)"
                    + " VALUES (" + b.id() + ", " + onA.id() + ", 'PASSWORD', 'u', X'01', CURRENT_TIMESTAMP)"));
            // Removing the EMS row alone removes its connections and credentials.
            update(c, "DELETE FROM JN_EMS WHERE ID = " + a.id());
        }
        assertTrue(store.connections(a.id()).isEmpty());
        assertTrue(store.credentials(a.id()).isEmpty());
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static void update(java.sql.Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static void assertSqlState(String expected, SqlWork work) {
        try {
            work.run();
            fail("expected SQLState " + expected);
        } catch (SQLException e) {
            assertEquals(e.getMessage(), expected, e.getSQLState());
        }
    }
}
