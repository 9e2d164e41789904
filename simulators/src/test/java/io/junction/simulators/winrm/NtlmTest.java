package io.junction.simulators.winrm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.NTCredentials;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.auth.NTLMScheme;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import javax.net.ssl.SSLSocket;

class NtlmTest {
    private static final HexFormat HEX = HexFormat.of();
    static WinRmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = WinRmSimulator.start(SimulatorConfig.scvmm().account("A", "pa").basicAllowed(false));
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    // [MS-NLMP] 4.2.4: NTLMv2 authentication test vectors
    private static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
    private static final byte[] TEMP = HEX.parseHex("0101000000000000" + "0000000000000000" + "aaaaaaaaaaaaaaaa" + "00000000"
            + "02000c0044006f006d00610069006e00" + "01000c005300650072007600650072000000" + "0000" + "00000000");

    @Test
    void ntowfv2MatchesTheSpecification() {
        assertArrayEquals(HEX.parseHex("0c868a403bfd7a93a3001ef22ef02e3f"), Ntlm.ntowfv2("Password", "User", "Domain"));
    }

    @Test
    void ntProofStrMatchesTheSpecification() {
        byte[] key = Ntlm.ntowfv2("Password", "User", "Domain");
        assertArrayEquals(HEX.parseHex("68cd0ab851e51c96aabc927bebef6a1c"), Ntlm.ntProofStr(key, SERVER_CHALLENGE, TEMP));
    }

    @Test
    void verificationAcceptsTheSpecificationsResponseAndNothingElse() {
        byte[] response = concat(HEX.parseHex("68cd0ab851e51c96aabc927bebef6a1c"), TEMP);
        assertTrue(Ntlm.verifyNtlmV2(response, SERVER_CHALLENGE, "User", "Domain", "Password"));
        assertTrue(Ntlm.verifyNtlmV2(response, SERVER_CHALLENGE, "USER", "Domain", "Password"), "user names are case-insensitive");
        assertFalse(Ntlm.verifyNtlmV2(response, SERVER_CHALLENGE, "User", "Domain", "password"));
        assertFalse(Ntlm.verifyNtlmV2(response, HEX.parseHex("0123456789abcdee"), "User", "Domain", "Password"));
        assertFalse(Ntlm.verifyNtlmV2(response, SERVER_CHALLENGE, "User", "DOMAIN", "Password"), "the domain is not uppercased");
        assertFalse(Ntlm.verifyNtlmV2(new byte[24], SERVER_CHALLENGE, "User", "Domain", "Password"), "NTLMv1 is refused");
    }

    @Test
    void challengeMessageCarriesTheServerChallengeAndTargetInfo() {
        byte[] type2 = Ntlm.challengeMessage(0, SERVER_CHALLENGE, "JUNCTION", "SIM", "junction.test", "sim.junction.test", 0);
        assertEquals(2, Ntlm.messageType(type2));
        assertArrayEquals(SERVER_CHALLENGE, java.util.Arrays.copyOfRange(type2, 24, 32));
    }

    @Test
    void apacheHttpClientAuthenticatesWithNtlm() throws Exception {
        try (CloseableHttpClient http = client("pa")) {
            // one context: NTLM connections carry the user, and HttpClient reuses them only within it
            HttpClientContext context = HttpClientContext.create();
            String body = post(http, context, 200);
            assertTrue(body.contains("ShellId"), body);
            // the connection stays authenticated: a second request needs no new handshake
            int before = simulator.authentications().size();
            post(http, context, 200);
            assertEquals(before, simulator.authentications().size());
        }
        Authentication last = simulator.authentications().get(simulator.authentications().size() - 1);
        assertEquals("A", last.user());
        assertEquals("JUNCTION", last.domain());
        assertTrue(List.of("NTLM", "Negotiate").contains(last.scheme()), last.scheme());
    }

    @Test
    void apacheHttpClientWithAWrongPasswordGets401() throws Exception {
        int before = simulator.authentications().size();
        try (CloseableHttpClient http = client("wrong")) {
            post(http, HttpClientContext.create(), 401);
        }
        assertEquals(before, simulator.authentications().size());
    }

    @Test
    void rawNtlmUnderNegotiateOnOneConnection() throws Exception {
        NTCredentials credentials = new NTCredentials("a", "pa", "CLIENT", "Junction"); // HttpClient sends the domain uppercased
        NTLMScheme ntlm = new NTLMScheme();
        ntlm.processChallenge(new BasicHeader("WWW-Authenticate", "NTLM"));
        String type1 = ntlm.authenticate(credentials, null).getValue().substring(5);
        try (SSLSocket socket = (SSLSocket) simulator.identity().clientContext().getSocketFactory()
                .createSocket("127.0.0.1", simulator.port())) {
            String[] first = exchange(socket, "Negotiate " + type1);
            assertTrue(first[0].contains(" 401 "), first[0]);
            String challenge = first[1].lines().filter(l -> l.toLowerCase().startsWith("www-authenticate: negotiate "))
                    .findFirst().orElseThrow().substring("WWW-Authenticate: Negotiate ".length());
            ntlm.processChallenge(new BasicHeader("WWW-Authenticate", "NTLM " + challenge));
            String type3 = ntlm.authenticate(credentials, null).getValue().substring(5);
            String[] second = exchange(socket, "Negotiate " + type3);
            assertTrue(second[0].contains(" 200 "), second[0] + second[2]);
            String[] third = exchange(socket, null);
            assertTrue(third[0].contains(" 200 "), "the connection stays authenticated: " + third[0]);
        }
        Authentication last = simulator.authentications().get(simulator.authentications().size() - 1);
        assertEquals(new Authentication("Negotiate", "JUNCTION", "a"), last);
        // a new connection is not authenticated
        try (SSLSocket socket = (SSLSocket) simulator.identity().clientContext().getSocketFactory()
                .createSocket("127.0.0.1", simulator.port())) {
            assertTrue(exchange(socket, null)[0].contains(" 401 "));
        }
    }

    /** One HTTP/1.1 request on the socket; returns status line, headers, body. */
    private static String[] exchange(SSLSocket socket, String authorization) throws Exception {
        byte[] body = WsmanTestClient.envelope(WsmanEndpoint.CREATE, "uuid:8", null, "", "<rsp:Shell/>").getBytes(StandardCharsets.UTF_8);
        String head = "POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder headers = new StringBuilder();
        String line;
        String status = readLine(in);
        int length = 0;
        while (!(line = readLine(in)).isEmpty()) {
            headers.append(line).append('\n');
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String[] {status, headers.toString(), new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static CloseableHttpClient client(String password) {
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(AuthScope.ANY, new NTCredentials("A", password, "CLIENT", "JUNCTION"));
        return HttpClients.custom().setSSLContext(simulator.identity().clientContext())
                .setDefaultCredentialsProvider(credentials).build();
    }

    private static String post(CloseableHttpClient http, HttpClientContext context, int expected) throws Exception {
        HttpPost post = new HttpPost(simulator.url());
        post.setEntity(new StringEntity(WsmanTestClient.envelope(WsmanEndpoint.CREATE, "uuid:7", null, "", "<rsp:Shell/>"),
                ContentType.create("application/soap+xml", StandardCharsets.UTF_8)));
        try (CloseableHttpResponse response = http.execute(post, context)) {
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
            assertEquals(expected, response.getStatusLine().getStatusCode(), body);
            return body;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
