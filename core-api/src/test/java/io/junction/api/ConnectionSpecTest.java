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
}
