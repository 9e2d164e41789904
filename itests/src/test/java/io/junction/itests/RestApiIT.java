package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The REST API of a running headless Junction, reached over HTTPS with the JDK's HttpClient trusting
 * only the certificate Junction made at first start: health without login, HTTP Basic against the
 * console's users and API tokens issued and revoked by command, problem details for every error, the server configured live, and no server at
 * all for a {@code bin/junction -c} run.
 */
public class RestApiIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String ALICE_PASSWORD = "Alice-Adm1n-Pa55";
    private static final String VICTOR_PASSWORD = "Victor-V1ewer-Pa55";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path home;
    private static int port;
    private static Process junction;
    private static boolean keystoreAfterCommandRun;
    private static String etcAfterCommandRun;
    private static HttpClient http;

    @BeforeClass
    public static void start() throws Exception {
        home = JunctionDistribution.installWithSyntheticProvider("rest");
        port = freePort();
        int sshPort = freePort();
        Files.writeString(home.resolve("etc/io.junction.ssh.cfg"), "enabled = true\naddress = 127.0.0.1\nport = " + sshPort + "\n");
        configureHttp(port);
        JunctionDistribution.Run users = JunctionDistribution.junction(home, "user:add alice admin --password-file " + secret("alice", ALICE_PASSWORD)
                + "; user:add victor viewer --password-file " + secret("victor", VICTOR_PASSWORD));
        assertEquals(users.err(), 0, users.status());
        assertEquals("", users.err());
        // A -c run starts no HTTPS server, so it makes no certificate either.
        keystoreAfterCommandRun = Files.exists(home.resolve("etc/https-keystore.p12"));
        etcAfterCommandRun = String.join(" ", home.resolve("etc").toFile().list());

        Path out = home.getParent().resolve("junction.out");
        junction = new ProcessBuilder(home.resolve("bin/junction").toString()).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        long pid = junction.pid();
        Await.until("Junction to run headless", PATIENCE, () -> Files.readString(out),
                t -> t.contains("stop it with SIGTERM: kill " + pid), String::valueOf);
        Await.until("HTTPS to listen on " + port, PATIENCE, () -> listening(port), l -> l, String::valueOf);
        http = HttpClient.newBuilder().sslContext(trustingOnly(home)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterClass
    public static void stop() throws Exception {
        Process p = junction;
        if (p != null) {
            p.destroy(); // SIGTERM: stops in order
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    public void aCommandRunStartsNoHttpsServer() {
        assertFalse("etc/ after bin/junction -c: " + etcAfterCommandRun, keystoreAfterCommandRun);
    }

    @Test
    public void healthAnswersWithoutLogin() throws Exception {
        HttpResponse<String> live = get("/health/live", null);
        assertEquals(live.body(), 200, live.statusCode());
        assertEquals("up", json(live).get("status").asText());
        HttpResponse<String> ready = get("/health/ready", null);
        assertEquals(ready.body(), 200, ready.statusCode());
        JsonNode body = json(ready);
        assertEquals("up", body.get("status").asText());
        assertEquals("up", body.get("checks").get("database").asText());
    }

    @Test
    public void theApiNeedsAUserOfTheConsole() throws Exception {
        HttpResponse<String> none = get("/api/v1/provider-types", null);
        assertProblem(none, 401, "Unauthorized");
        assertEquals(java.util.List.of("Basic realm=\"Junction\", charset=\"UTF-8\"", "Bearer realm=\"Junction\""),
                none.headers().allValues("WWW-Authenticate"));

        HttpResponse<String> wrong = get("/api/v1/provider-types", basic("alice", "not-her-password"));
        assertProblem(wrong, 401, "Unauthorized");
        assertEquals("wrong user name or password", json(wrong).get("detail").asText());

        HttpResponse<String> bearer = get("/api/v1/provider-types", "Bearer 1234");
        assertProblem(bearer, 401, "Unauthorized");

        HttpResponse<String> ok = get("/api/v1/provider-types", basic("victor", VICTOR_PASSWORD));
        assertEquals(ok.body(), 200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertFalse("no secret is ever echoed", ok.body().contains(VICTOR_PASSWORD));
    }

    @Test
    public void anApiTokenActsAsItsUserUntilRevoked() throws Exception {
        // issued in the running instance, through its console, as an operator would
        JunctionDistribution.Run issued = JunctionDistribution.junction(home, "user:token --label it-pipeline victor");
        assertEquals(issued.err(), 0, issued.status());
        String token = issued.out().lines().filter(l -> l.startsWith("jct_")).findFirst()
                .orElseThrow(() -> new AssertionError("no token in:\n" + issued.out()));
        String id = token.substring(4, 16);
        JunctionDistribution.Run list = JunctionDistribution.junction(home, "user:tokens");
        assertTrue(list.out(), list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("victor") && l.contains("it-pipeline")));
        assertFalse("listed, never shown again", list.out().contains(token));

        HttpResponse<String> ok = get("/api/v1/provider-types", "Bearer " + token);
        assertEquals(ok.body(), 200, ok.statusCode());

        JunctionDistribution.Run revoked = JunctionDistribution.junction(home, "user:token --revoke " + id);
        assertEquals(revoked.err(), 0, revoked.status());
        HttpResponse<String> refused = get("/api/v1/provider-types", "Bearer " + token);
        assertProblem(refused, 401, "Unauthorized");
        assertEquals("unknown or revoked API token", json(refused).get("detail").asText());

        for (String log : new String[] {"data/log/junction.log", "data/log/audit.log"}) {
            assertFalse("the token in " + log, Files.readString(home.resolve(log)).contains(token.substring(17)));
        }
        assertFalse(Files.readString(home.resolve("etc/users.properties")).contains(token.substring(17)));
    }

    @Test
    public void providerTypesAreListedAndShownOneByOne() throws Exception {
        JsonNode types = json(get("/api/v1/provider-types", basic("victor", VICTOR_PASSWORD)));
        assertTrue(types.toString(), types.isArray());
        JsonNode microsoft = null;
        for (JsonNode t : types) {
            if (t.get("id").asText().equals("microsoft")) {
                microsoft = t;
            }
        }
        assertTrue(types.toString(), microsoft != null);
        assertEquals("Microsoft System Center", microsoft.get("displayName").asText());
        assertEquals("scvmm", microsoft.get("roles").get(0).get("role").asText());
        assertEquals(5986, microsoft.get("roles").get(0).get("defaultPort").asInt());

        HttpResponse<String> one = get("/api/v1/provider-types/openstack", basic("victor", VICTOR_PASSWORD));
        assertEquals(one.body(), 200, one.statusCode());
        assertEquals("OpenStack", json(one).get("displayName").asText());
        assertEquals("identity", json(one).get("roles").get(1).get("discoveredBy").asText());

        HttpResponse<String> missing = get("/api/v1/provider-types/vmware", basic("victor", VICTOR_PASSWORD));
        assertProblem(missing, 404, "Not Found");
        assertEquals("no provider type 'vmware' is installed (see GET /api/v1/provider-types)", json(missing).get("detail").asText());
    }

    @Test
    public void errorsAreProblemDetails() throws Exception {
        HttpResponse<String> post = http.send(request("/api/v1/provider-types", basic("alice", ALICE_PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(post, 405, "Method Not Allowed");
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));

        HttpResponse<String> unknown = get("/api/v1/no-such-thing", basic("victor", VICTOR_PASSWORD));
        assertProblem(unknown, 404, "Not Found");
        assertTrue(unknown.body(), json(unknown).get("detail").asText().startsWith("no resource at /api/v1/no-such-thing"));
    }

    @Test
    public void theFingerprintOfTheServedCertificateIsLoggedAndJettyLogsToTheLog() throws Exception {
        KeyStore store = generatedKeystore(home);
        Certificate cert = store.getCertificate(store.aliases().nextElement());
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        String log = Files.readString(home.resolve("data/log/junction.log"));
        assertTrue(log, log.contains("HTTPS on 127.0.0.1:" + port + ", certificate SHA-256 " + fingerprint));
        assertTrue("Jetty's own lines reach the log through slf4j 2", log.contains("org.eclipse.jetty.server.Server - jetty-12"));
        for (String secret : new String[] {ALICE_PASSWORD, VICTOR_PASSWORD, Files.readString(home.resolve("etc/https-keystore.password")).strip()}) {
            assertFalse("a secret in the log", log.contains(secret));
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("etc/https-keystore.p12"))));
    }

    @Test
    public void thePortIsChangedLive() throws Exception {
        int other = freePort();
        try {
            configureHttp(other);
            Await.until("HTTPS to move to " + other, PATIENCE, () -> listening(other) && !listening(port), l -> l, String::valueOf);
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + other + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
        } finally {
            configureHttp(port);
            Await.until("HTTPS back on " + port, PATIENCE, () -> listening(port) && !listening(other), l -> l, String::valueOf);
        }
    }

    @Test
    public void anEmsIsCreatedShownRenamedAndRemovedByIdOrName() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        HttpResponse<String> created = send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-life\"}");
        assertEquals(created.body(), 201, created.statusCode());
        long id = json(created).get("id").asLong();
        assertEquals("/api/v1/ems/" + id, created.headers().firstValue("Location").orElse(""));
        assertEquals("synthetic", json(created).get("type").asText());

        String victor = basic("victor", VICTOR_PASSWORD);
        JsonNode byId = json(get("/api/v1/ems/" + id, victor));
        JsonNode byName = json(get("/api/v1/ems/rest-life", victor));
        assertEquals(byId, byName);
        assertTrue(get("/api/v1/ems", victor).body().contains("\"name\":\"rest-life\""));

        HttpResponse<String> matrix = get("/api/v1/ems/rest-life/capabilities", victor);
        assertEquals(matrix.body(), 200, matrix.statusCode());
        assertTrue(matrix.body(), json(matrix).isArray() && json(matrix).size() > 0);
        assertTrue(matrix.body(), matrix.body().contains("\"capability\":\"inventory\""));

        // The synthetic provider type discovers nothing: the router's reason, nothing added.
        HttpResponse<String> discovered = send("POST", "/api/v1/ems/rest-life/discover", alice, null);
        assertProblem(discovered, 503, "Service Unavailable");
        assertEquals(byId.get("connections"), json(get("/api/v1/ems/" + id, victor)).get("connections"));

        HttpResponse<String> renamed = send("PATCH", "/api/v1/ems/" + id, alice, "{\"name\": \"rest-life-2\"}");
        assertEquals(renamed.body(), 200, renamed.statusCode());
        assertEquals("rest-life-2", json(renamed).get("name").asText());
        assertProblem(get("/api/v1/ems/rest-life", victor), 404, "Not Found");

        HttpResponse<String> removed = send("DELETE", "/api/v1/ems/rest-life-2", alice, null);
        assertEquals(removed.body(), 204, removed.statusCode());
        assertProblem(get("/api/v1/ems/" + id, victor), 404, "Not Found");

        String audit = Files.readString(home.resolve("data/log/audit.log"));
        assertTrue(audit, audit.lines().anyMatch(l -> l.contains("user=alice role=admin origin=https/127.0.0.1:")
                && l.endsWith("outcome=ok command=POST /api/v1/ems type=synthetic name=rest-life")));
        assertTrue(audit, audit.lines().anyMatch(l -> l.endsWith("outcome=ok command=DELETE /api/v1/ems/rest-life-2")));
    }

    @Test
    public void connectionsAndAWriteOnlyCredentialThenVerifyAndARefreshJobFollowedToItsEnd() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        String secret = "Sim-Reader-S3cret-9";
        long id = json(send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-refresh\"}")).get("id").asLong();
        // slow enough (pace: 250 VMs a second) that a second start finds the first running
        HttpResponse<String> added = send("POST", "/api/v1/ems/rest-refresh/connections", alice,
                "{\"role\": \"sim\", \"host\": \"sim.example\", \"path\": \"/vms=1000/hosts=2/clusters=1/pace=250\"}");
        assertEquals(added.body(), 201, added.statusCode());
        long connection = json(added).get("id").asLong();
        assertEquals("/api/v1/ems/" + id + "/connections/" + connection, added.headers().firstValue("Location").orElse(""));
        assertEquals(443, json(send("PATCH", "/api/v1/ems/" + id + "/connections/" + connection, alice, "{\"port\": 443}")).get("port").asInt());

        // no credential yet: the router's reason, at once, and no job
        HttpResponse<String> early = send("POST", "/api/v1/ems/rest-refresh/refresh", alice, null);
        assertProblem(early, 503, "Service Unavailable");
        assertTrue(early.body(), json(early).get("detail").asText().startsWith("cannot refresh EMS 'rest-refresh': inventory is no-credential"));

        HttpResponse<String> credential = send("PUT", "/api/v1/ems/rest-refresh/credentials", alice,
                "{\"role\": \"sim\", \"user\": \"sim-reader\", \"secret\": \"" + secret + "\"}");
        assertEquals(credential.body(), 200, credential.statusCode());
        assertEquals("sim-reader", json(credential).get("user").asText());
        assertFalse("write-only", credential.body().contains(secret));
        assertFalse(get("/api/v1/ems/rest-refresh", alice).body().contains(secret));

        HttpResponse<String> verified = send("POST", "/api/v1/ems/rest-refresh/verify", basic("victor", VICTOR_PASSWORD), null);
        assertProblem(verified, 403, "Forbidden");
        assertTrue(json(verified).get("detail").asText().contains("needs role operator"));
        verified = send("POST", "/api/v1/ems/rest-refresh/verify", alice, null);
        assertEquals(verified.body(), 200, verified.statusCode());
        assertTrue(verified.body(), json(verified).get("ok").asBoolean());
        assertEquals("ok", json(verified).get("checks").get(0).get("status").asText());

        HttpResponse<String> started = send("POST", "/api/v1/ems/rest-refresh/refresh", alice, null);
        assertEquals(started.body(), 202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();
        assertTrue(location, location.startsWith("/api/v1/jobs/"));
        HttpResponse<String> again = send("POST", "/api/v1/ems/" + id + "/refresh", alice, null);
        assertEquals(again.body(), 202, again.statusCode());
        assertEquals("a second start joins the running job", location, again.headers().firstValue("Location").orElse(""));
        assertTrue(again.body(), json(again).get("joined").asBoolean());

        JsonNode done = Await.until("the refresh job to finish", PATIENCE, () -> json(get(location, basic("victor", VICTOR_PASSWORD))),
                j -> !j.get("state").asText().equals("running"), String::valueOf);
        assertEquals(done.toString(), "succeeded", done.get("state").asText());
        assertTrue(done.toString(), done.get("counts").get("created").asLong() >= 1000);
        assertEquals(done.get("counts").get("seen").asLong(), done.get("progress").get("seen").asLong());

        // the VMs, page by page: each once, in order
        String victor = basic("victor", VICTOR_PASSWORD);
        List<String> refs = new java.util.ArrayList<>();
        String next = "/api/v1/ems/rest-refresh/vms?limit=300";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = get(next, victor);
            assertEquals(page.body(), 200, page.statusCode());
            JsonNode body = json(page);
            body.get("items").forEach(v -> refs.add(v.get("ref").asText()));
            next = body.get("next").isNull() ? null : body.get("next").asText();
            pages++;
        }
        assertEquals(4, pages);
        assertEquals(1000, refs.size());
        assertEquals(1000, new java.util.HashSet<>(refs).size());
        JsonNode firstOn = json(get("/api/v1/ems/rest-refresh/vms?state=on&limit=1", victor)).get("items").get(0);
        assertEquals("on", firstOn.get("powerState").asText());
        assertEquals(4, json(get("/api/v1/ems/rest-refresh/templates", victor)).get("items").size());
        assertEquals(2, json(get("/api/v1/ems/rest-refresh/hosts", victor)).size());
        assertEquals(1, json(get("/api/v1/ems/rest-refresh/clusters", victor)).size());

        // power: the result, 409 when the stored state forbids it, 403 for a viewer
        String vm = firstOn.get("ref").asText();
        HttpResponse<String> stopped = send("POST", "/api/v1/ems/rest-refresh/vms/" + vm + "/power", alice, "{\"action\": \"stop\"}");
        assertEquals(stopped.body(), 200, stopped.statusCode());
        assertEquals("off", json(stopped).get("powerState").asText());
        HttpResponse<String> again2 = send("POST", "/api/v1/ems/rest-refresh/vms/" + vm + "/power", alice, "{\"action\": \"stop\"}");
        assertProblem(again2, 409, "Conflict");
        assertTrue(again2.body(), json(again2).get("detail").asText().contains("is already off"));
        assertProblem(send("POST", "/api/v1/ems/rest-refresh/vms/" + vm + "/power", victor, "{\"action\": \"start\"}"), 403, "Forbidden");
        assertProblem(send("POST", "/api/v1/ems/rest-refresh/vms/template-0/power", alice, "{\"action\": \"start\"}"), 422, "Unprocessable Content");
        assertProblem(send("POST", "/api/v1/ems/rest-refresh/vms/" + vm + "/power", alice, "{\"action\": \"explode\"}"), 422, "Unprocessable Content");
        assertEquals("off", json(get("/api/v1/ems/rest-refresh/vms?filter=" + vm, victor)).get("items").get(0).get("powerState").asText());

        assertEquals(204, send("DELETE", "/api/v1/ems/rest-refresh/credentials/" + json(credential).get("id").asLong(), alice, null).statusCode());
        assertEquals(204, send("DELETE", "/api/v1/ems/rest-refresh/connections/" + connection, alice, null).statusCode());
        assertEquals("[]", json(get("/api/v1/ems/rest-refresh", alice)).get("connections").toString());
        try (var files = Files.walk(home.resolve("data/log"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse("the secret in " + f, Files.readString(f, StandardCharsets.ISO_8859_1).contains(secret));
            }
        }
        String audit = Files.readString(home.resolve("data/log/audit.log"));
        assertTrue(audit, audit.contains("command=PUT /api/v1/ems/rest-refresh/credentials role=sim user=sim-reader secret=***"));
    }

    @Test
    public void theApiDescriptionHasEveryRouteAndEachIsRoutedWithTheRoleItStates() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        long id = json(send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-doc\"}")).get("id").asLong();
        long connection = json(send("POST", "/api/v1/ems/" + id + "/connections", alice,
                "{\"role\": \"sim\", \"host\": \"sim.example\"}")).get("id").asLong();
        HttpResponse<String> response = get("/api/v1/openapi.json", basic("victor", VICTOR_PASSWORD));
        assertEquals(response.body(), 200, response.statusCode());
        JsonNode doc = json(response);
        assertEquals("3.0.3", doc.get("openapi").asText());
        JsonNode newEms = doc.get("components").get("schemas").get("NewEms");
        assertEquals("string", newEms.get("properties").get("name").get("type").asText());
        assertFalse(newEms.get("additionalProperties").asBoolean());
        assertTrue(doc.get("components").get("schemas").get("CredentialBody").get("properties").get("secret").get("writeOnly").asBoolean());

        java.util.Set<String> described = new java.util.TreeSet<>();
        for (var path = doc.get("paths").fields(); path.hasNext(); ) {
            var p = path.next();
            for (var op = p.getValue().fields(); op.hasNext(); ) {
                var o = op.next();
                String method = o.getKey().toUpperCase(java.util.Locale.ROOT);
                String role = o.getValue().get("x-junction-role").asText();
                described.add(method + " " + p.getKey());
                String concrete = p.getKey().replace("{ems}", String.valueOf(id)).replace("{connection}", String.valueOf(connection))
                        .replace("{credential}", "999999").replace("{type}", "synthetic").replace("{job}", "none").replace("{vm}", "none");
                String what = method + " " + p.getKey();
                if (role.equals("public")) {
                    HttpResponse<String> r = send(method, concrete, null, null);
                    assertEquals(what + ": " + r.body(), 200, r.statusCode());
                } else if (role.equals("viewer") && concrete.endsWith("/stream")) {
                    // a stream never ends: its head is enough
                    HttpResponse<InputStream> r = http.send(request(concrete, basic("victor", VICTOR_PASSWORD)).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    r.body().close();
                    assertEquals(what, 200, r.statusCode());
                } else if (role.equals("viewer")) {
                    HttpResponse<String> r = send(method, concrete, basic("victor", VICTOR_PASSWORD), null);
                    assertTrue(what + ": " + r.body(), r.statusCode() == 200 || r.statusCode() == 404 && !r.body().contains("no resource at"));
                } else {
                    // routed, and refused to a viewer naming exactly the role the description states: nothing runs
                    HttpResponse<String> r = send(method, concrete, basic("victor", VICTOR_PASSWORD), "{}");
                    assertProblem(r, 403, "Forbidden");
                    assertTrue(what + ": " + r.body(), json(r).get("detail").asText().contains("needs role " + role));
                }
            }
        }
        for (String route : List.of("GET /health/live", "GET /health/ready", "GET /api/v1/openapi.json", "GET /api/v1/provider-types",
                "GET /api/v1/provider-types/{type}", "GET /api/v1/ems", "POST /api/v1/ems", "GET /api/v1/ems/{ems}", "PATCH /api/v1/ems/{ems}",
                "DELETE /api/v1/ems/{ems}", "GET /api/v1/ems/{ems}/capabilities", "POST /api/v1/ems/{ems}/verify",
                "POST /api/v1/ems/{ems}/discover", "POST /api/v1/ems/{ems}/refresh", "POST /api/v1/ems/{ems}/connections", "PATCH /api/v1/ems/{ems}/connections/{connection}",
                "DELETE /api/v1/ems/{ems}/connections/{connection}", "PUT /api/v1/ems/{ems}/credentials",
                "DELETE /api/v1/ems/{ems}/credentials/{credential}", "GET /api/v1/jobs/{job}", "GET /api/v1/ems/{ems}/vms",
                "GET /api/v1/ems/{ems}/templates", "GET /api/v1/ems/{ems}/hosts", "GET /api/v1/ems/{ems}/clusters",
                "POST /api/v1/ems/{ems}/vms/{vm}/power", "GET /api/v1/ems/{ems}/events", "GET /api/v1/ems/{ems}/events/stream")) {
            assertTrue(route + " in " + described, described.contains(route));
        }
    }

    @Test
    public void theEventStreamResumesFromLastEventIdWithoutLossOrRepeats() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-events\"}");
        send("POST", "/api/v1/ems/rest-events/connections", alice,
                "{\"role\": \"sim\", \"host\": \"sim.example\", \"path\": \"/vms=5/hosts=1/clusters=1/events=200\"}");
        assertEquals(200, send("PUT", "/api/v1/ems/rest-events/credentials", alice,
                "{\"role\": \"sim\", \"user\": \"sim-reader\", \"secret\": \"Sim-Events-S3cret\"}").statusCode());

        // first connection: some events, then the client goes away while the provider keeps emitting
        List<Long> streamed = new java.util.ArrayList<>();
        readStream(null, 150, streamed);
        long lastSeen = streamed.get(streamed.size() - 1);
        Thread.sleep(500);
        // second connection, resuming
        readStream(String.valueOf(lastSeen), 300, streamed);

        // what the store holds up to the last streamed event: the same ids, once each, in order
        List<Long> stored = new java.util.ArrayList<>();
        String next = "/api/v1/ems/rest-events/events?limit=1000&after=0";
        long end = streamed.get(streamed.size() - 1);
        while (stored.isEmpty() || stored.get(stored.size() - 1) < end) {
            JsonNode page = json(get(next, alice));
            if (page.get("items").size() == 0) {
                break;
            }
            page.get("items").forEach(e -> stored.add(e.get("id").asLong()));
            next = page.get("next").asText();
        }
        List<Long> upToEnd = stored.stream().filter(i -> i <= end).toList();
        assertEquals(upToEnd.size(), streamed.size());
        assertEquals(upToEnd, streamed);
    }

    /** Reads events off the stream until {@code count} more arrived, then drops the connection. */
    private static void readStream(String lastEventId, int count, List<Long> into) throws Exception {
        HttpRequest.Builder b = request("/api/v1/ems/rest-events/events/stream", basic("victor", VICTOR_PASSWORD))
                .timeout(Duration.ofMinutes(10)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (InputStream in = r.body();
             java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            int got = 0;
            Long id = null;
            String line;
            while (got < count && (line = lines.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring(6));
                    assertEquals(id.longValue(), event.get("id").asLong());
                    into.add(id);
                    got++;
                }
            }
            assertEquals(count, got);
        }
    }

    @Test
    public void duringAHotSwapOfTheProviderCallsFailOnlyWithAClean503() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-swap\"}");
        send("POST", "/api/v1/ems/rest-swap/connections", alice, "{\"role\": \"sim\", \"host\": \"sim.example\", \"path\": \"/vms=20/hosts=1/clusters=1\"}");
        send("PUT", "/api/v1/ems/rest-swap/credentials", alice, "{\"role\": \"sim\", \"user\": \"sim-reader\", \"secret\": \"Sim-Swap-S3cret\"}");
        String job = send("POST", "/api/v1/ems/rest-swap/refresh", alice, null).headers().firstValue("Location").orElseThrow();
        Await.until("the refresh", PATIENCE, () -> json(get(job, alice)).get("state").asText(), s -> s.equals("succeeded"), String::valueOf);
        String vm = json(get("/api/v1/ems/rest-swap/vms?limit=1", alice)).get("items").get(0).get("ref").asText();
        String power = "/api/v1/ems/rest-swap/vms/" + vm + "/power";

        java.util.concurrent.ConcurrentLinkedQueue<String> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread caller = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = send("POST", power, alice, "{\"action\": \"restart\"}");
                    boolean clean = r.statusCode() == 200 || r.statusCode() == 503
                            && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
                    outcomes.add(clean ? String.valueOf(r.statusCode()) : r.statusCode() + " " + r.body());
                } catch (Exception e) {
                    outcomes.add("exception " + e);
                }
            }
        }, "rest-swap-caller");
        caller.start();
        Path jar = home.resolve("deploy/synthetic-provider.jar");
        Path aside = home.getParent().resolve("synthetic-provider.jar");
        try {
            Files.move(jar, aside, StandardCopyOption.REPLACE_EXISTING);
            Await.until("the power capability to lose its service", PATIENCE,
                    () -> get("/api/v1/ems/rest-swap/capabilities", alice).body(), b -> b.contains("\"capability\":\"power\",\"state\":\"no-service\""),
                    String::valueOf);
            HttpResponse<String> gap = send("POST", power, alice, "{\"action\": \"restart\"}");
            assertProblem(gap, 503, "Service Unavailable");
            Files.copy(aside, jar);
            Await.until("the power capability to be bound again", PATIENCE,
                    () -> send("POST", power, alice, "{\"action\": \"restart\"}").statusCode(), s -> s == 200, String::valueOf);
        } finally {
            running.set(false);
            caller.join(120_000);
            if (!Files.exists(jar)) {
                Files.copy(aside, jar);
            }
        }
        List<String> unclean = outcomes.stream().filter(o -> !o.equals("200") && !o.equals("503")).toList();
        assertTrue("only 200 or a clean 503: " + unclean, unclean.isEmpty());
        assertTrue(outcomes.toString(), outcomes.contains("200"));
    }

    @Test
    public void badRequestsAreRefusedWithAProblemAndChangeNothing() throws Exception {
        String alice = basic("alice", ALICE_PASSWORD);
        send("POST", "/api/v1/ems", alice, "{\"type\": \"synthetic\", \"name\": \"rest-taken\"}");
        String before = get("/api/v1/ems", alice).body() + get("/api/v1/ems/rest-taken", alice).body();
        String json = "application/json";
        Object[][] table = {
                // method, path, authorization, content type, body, status, words the detail has
                {"POST", "/api/v1/ems", alice, json, "{\"type\": ", 400, "malformed JSON"},
                {"POST", "/api/v1/ems", alice, json, "[1, 2]", 400, "JSON object"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\", \"name\": 5}", 400, "field 'name' has the wrong type: a string is expected"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\", \"name\": \"x\", \"color\": \"red\"}", 400, "unknown field 'color'"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\", \"name\": \"a\", \"name\": \"b\"}", 400, "duplicate field 'name'"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\"}", 400, "field 'name' is required"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\", \"name\": \"" + "x".repeat(70_000) + "\"}", 413, "larger than 64 KiB"},
                {"POST", "/api/v1/ems", alice, "text/plain", "type=synthetic", 415, "application/json"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"vmware\", \"name\": \"x\"}", 422, "unknown provider type 'vmware'"},
                {"POST", "/api/v1/ems", alice, json, "{\"type\": \"synthetic\", \"name\": \"rest-taken\"}", 409, "rest-taken"},
                {"PATCH", "/api/v1/ems/999999", alice, json, "{\"name\": \"y\"}", 404, "no EMS with id or name '999999'"},
                {"PATCH", "/api/v1/ems/rest-taken", alice, json, "{\"name\": \"\"}", 422, ""},
                {"DELETE", "/api/v1/ems/rest-taken", basic("victor", VICTOR_PASSWORD), null, null, 403, "needs role admin"},
                {"DELETE", "/api/v1/ems/rest-taken", null, null, null, 401, "credentials are required"},
                {"PUT", "/api/v1/ems/rest-taken", alice, json, "{}", 405, "allowed: DELETE, GET, PATCH"},
                {"PUT", "/api/v1/ems/rest-taken/credentials", alice, json, "{\"role\": \"sim\", \"secret\": 12345}", 400, "field 'secret' has the wrong type"},
                {"PUT", "/api/v1/ems/rest-taken/credentials", alice, json, "{\"role\": \"sim\", \"secret\": \"x\"}", 404, "has no 'sim' connection"},
                {"POST", "/api/v1/ems/rest-taken/connections", alice, json, "{\"role\": \"sim\", \"host\": \"h\", \"port\": \"80\"}", 400, "field 'port' has the wrong type"},
                {"POST", "/api/v1/ems/rest-taken/connections", alice, json, "{\"role\": \"sim\", \"host\": \"h\", \"port\": 70000}", 422, "port"},
                {"POST", "/api/v1/ems/rest-taken/refresh", basic("victor", VICTOR_PASSWORD), null, null, 403, "needs role operator"},
                {"POST", "/api/v1/ems/rest-taken/refresh", alice, null, null, 503, "inventory is no-connection"},
                {"GET", "/api/v1/ems/rest-taken/nothing", alice, null, null, 404, "no resource at"},
                {"GET", "/api/v1/ems/rest-taken/vms?cursor=bm90LWEtY3Vyc29y", alice, null, null, 400, "'cursor' is not a cursor of this API"},
                {"GET", "/api/v1/ems/rest-taken/vms?limit=0", alice, null, null, 400, "'limit' must be a whole number from 1 to 1000"},
                {"GET", "/api/v1/ems/rest-taken/vms?state=running", alice, null, null, 400, "'state' must be one of on, off"},
                {"GET", "/api/v1/ems/rest-taken/vms?colour=red", alice, null, null, 400, "unknown query parameter 'colour'"},
        };
        for (Object[] row : table) {
            String what = row[0] + " " + row[1] + " " + (row[4] == null ? "" : String.valueOf(row[4]).substring(0, Math.min(60, String.valueOf(row[4]).length())));
            HttpRequest.Builder b = request((String) row[1], (String) row[2]);
            if (row[3] != null) {
                b.header("Content-Type", (String) row[3]);
            }
            HttpResponse<String> r = http.send(b.method((String) row[0], row[4] == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString((String) row[4])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(what + ": " + r.body(), (int) (Integer) row[5], r.statusCode());
            assertTrue(what + ": " + r.headers(), r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            String detail = json(r).get("detail").asText();
            assertTrue(what + ": " + detail, detail.contains((String) row[6]));
            assertFalse(what + ": " + detail, detail.contains("\n"));
            assertEquals(what + ": changed nothing", before, get("/api/v1/ems", alice).body() + get("/api/v1/ems/rest-taken", alice).body());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static HttpResponse<String> send(String method, String path, String authorization, String jsonBody) throws Exception {
        HttpRequest.Builder b = request(path, authorization);
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title) throws IOException {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().toString(), response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        assertEquals(title, body.get("title").asText());
        assertFalse(body.get("detail").asText().isBlank());
        assertFalse(body.get("detail").asText().contains("\n"));
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(PATIENCE);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static KeyStore generatedKeystore(Path home) throws Exception {
        String password = Files.readString(home.resolve("etc/https-keystore.password")).strip();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(home.resolve("etc/https-keystore.p12"))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** TLS that trusts exactly the certificate Junction made (and checks the host name against it). */
    private static SSLContext trustingOnly(Path home) throws Exception {
        KeyStore generated = generatedKeystore(home);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("junction", generated.getCertificate(generated.aliases().nextElement()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    private static void configureHttp(int httpsPort) throws IOException {
        // written whole to a temporary file and moved, so the etc/ watcher never reads half a file
        Path tmp = home.resolve("io.junction.http.cfg.tmp");
        Files.writeString(tmp, "address = 127.0.0.1\nport = " + httpsPort + "\n");
        Files.move(tmp, home.resolve("etc/io.junction.http.cfg"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean listening(int p) {
        try (Socket s = new Socket("127.0.0.1", p)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static String secret(String name, String value) throws IOException {
        Path f = home.getParent().resolve(name + ".secret");
        Files.writeString(f, value + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        return f.toString();
    }
}
