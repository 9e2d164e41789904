package io.junction.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConnectionSpecTest {

    @ParameterizedTest
    @CsvSource({
        "vmm01.corp.example, vmm01.corp.example",
        "VMM01.Corp.Example., vmm01.corp.example",
        "localhost, localhost",
        "10.0.0.1, 10.0.0.1",
        "::1, ::1",
        "[fe80::1], fe80::1",
        "2001:db8::8a2e:370:7334, 2001:db8::8a2e:370:7334",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    })
    void acceptsHostNamesAndAddresses(String given, String stored) {
        assertEquals(stored, ConnectionSpec.checkHost(given));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad_host", "-lead.example", "trail-.example", "a..b", "10.0.0.256", "1.2.3", "fe80::1::2",
            "1:2:3:4:5:6:7:8:9", "[::1", "g::1", "host name", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.example"})
    void refusesMalformedHosts(String host) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkHost(host));
        assertTrue(e.getMessage().startsWith("malformed host"), e.getMessage());
    }

    @Test
    void refusesEmptyHost() {
        assertEquals("host must not be empty",
                assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkHost(" ")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "abc", "", "5986x", "999999"})
    void refusesBadPorts(String port) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConnectionSpec.parsePort(port));
        assertEquals("port must be a number from 1 to 65535, got '" + port + "'", e.getMessage());
    }

    @Test
    void parsesPorts() {
        assertEquals(1, ConnectionSpec.parsePort("1"));
        assertEquals(65535, ConnectionSpec.parsePort("65535"));
    }

    @Test
    void refusesTextThatIsNotAPemCertificate() {
        assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkPemCertificate("hello"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkPemCertificate(
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"));
        assertTrue(e.getMessage().startsWith("CA certificate PEM cannot be read"), e.getMessage());
    }

    @Test
    void pathMustBeAbsolute() {
        assertThrows(InvalidInputException.class, () -> new ConnectionSpec("scvmm", "h", null, null, "wsman", true, null, false, false));
        assertEquals("/wsman", new ConnectionSpec("scvmm", "h", null, null, "/wsman", true, null, false, false).path());
    }

    @Test
    void connectionAddressBracketsIpv6() {
        Connection c = new Connection(1, 1, "identity", "fd00::10", 5000, "https", "/v3", true, null, true, false);
        assertEquals("[fd00::10]:5000", c.address());
        assertEquals("https://[fd00::10]:5000/v3", c.url());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "100", "x", "", " ", "1.5", "9999999999"})
    void priorityIsAPlaceFromOne(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConnectionSpec.parsePriority(text));
        assertTrue(e.getMessage().startsWith("priority must be a number from 1 (tried first) to 99"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> ConnectionSpec.of("scvmm", "h").withPriority(0));
        assertEquals(3, ConnectionSpec.parsePriority(" 3 "));
        assertEquals(99, ConnectionSpec.of("scvmm", "h").withPriority(99).priority());
    }

    private static Connection ranked(long id, String role, int priority) {
        return new Connection(id, 1, role, "h" + id + ".example", 443, "https", "", true, null, priority == 1, false, false, priority);
    }

    @Test
    void connectionsOfARoleAreTriedByPriority() {
        var all = java.util.List.of(ranked(1, "scvmm", 3), ranked(2, "scvmm", 1), ranked(3, "scom", 1), ranked(4, "scvmm", 2));
        assertEquals(java.util.List.of(2L, 4L, 1L), Connection.byPriority(all, "scvmm").stream().map(Connection::id).toList());
        assertEquals(2L, Connection.forRole(all, "scvmm").orElseThrow().id());
        assertEquals(java.util.List.of(), Connection.byPriority(all, "amqp"));
        // Made without a priority, the default comes first and the others follow, oldest first.
        Connection old = new Connection(9, 1, "scvmm", "h", 1, "https", "", true, null, false, false);
        Connection def = new Connection(12, 1, "scvmm", "h", 1, "https", "", true, null, true, false);
        assertEquals(1, def.priority());
        assertEquals(java.util.List.of(def, old), Connection.byPriority(java.util.List.of(old, def), "scvmm"));
    }
}
