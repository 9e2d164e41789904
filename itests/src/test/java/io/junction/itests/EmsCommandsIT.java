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
        rejected("ems:connect bad1 scom h.example --ca-file /nonexistent/ca.pem", "CA file not found: /nonexistent/ca.pem");
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
            assertSqlState("23505", () -> update(c, "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, DEFAULT_FOR_ROLE, DISCOVERED, CREATED)"
                    + " VALUES (" + a.id() + ", 'scvmm', 'a.example', 5986, 'https', '', TRUE, FALSE, FALSE, CURRENT_TIMESTAMP)"));
            assertSqlState("23513", () -> update(c, "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, DEFAULT_FOR_ROLE, DISCOVERED, CREATED)"
                    + " VALUES (" + a.id() + ", 'scom', 'a.example', 70000, 'https', '', TRUE, FALSE, FALSE, CURRENT_TIMESTAMP)"));
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
