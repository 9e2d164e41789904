package io.junction.provider.openstack.internal.nova;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.junction.api.AuthenticationException;
import io.junction.api.ProviderException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.PowerAction;
import io.junction.provider.openstack.internal.CollectingSink;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.http.Endpoint;
import io.junction.provider.openstack.internal.http.JsonHttp;
import io.junction.provider.openstack.internal.keystone.KeystoneClient;
import io.junction.provider.openstack.internal.keystone.KeystoneScope;
import io.junction.provider.openstack.internal.keystone.TokenSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NovaHandle against a scripted loopback HTTP server (Keystone and Nova on one port): token from
 * X-Subject-Token, a 401 answered by authenticating again, pagination by marker, 403 on
 * hypervisors degrading to no hosts, and a 409 as a ProviderException.
 */
class NovaHandleHttpTest {
    private HttpServer server;
    private final AtomicInteger tokens = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean refuseFirstToken = true;
    private volatile String password = "secret";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        String query = x.getRequestURI().getRawQuery();
        requests.add(x.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        if (path.equals("/v3/auth/tokens")) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains("\"password\":\"" + password + "\"") || !body.contains("\"project\":{\"name\":\"demo\"")) {
                send(x, 401, "{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\",\"title\":\"Unauthorized\"}}");
                return;
            }
            x.getResponseHeaders().add("X-Subject-Token", "tok" + tokens.incrementAndGet());
            send(x, 201, "{\"token\":{\"expires_at\":\"2099-01-01T00:00:00.000000Z\",\"issued_at\":\"2026-01-01T00:00:00.000000Z\","
                    + "\"project\":{\"id\":\"p1\",\"name\":\"demo\"},\"catalog\":[]}}");
            return;
        }
        String token = x.getRequestHeaders().getFirst("X-Auth-Token");
        if (token == null || (refuseFirstToken && token.equals("tok1"))) {
            send(x, 401, "{\"error\":{\"code\":401,\"message\":\"expired\"}}");
            return;
        }
        if (!"compute 2.60".equals(x.getRequestHeaders().getFirst("OpenStack-API-Version"))) {
            send(x, 400, "{\"badRequest\":{\"code\":400,\"message\":\"no microversion\"}}");
            return;
        }
        switch (path) {
            case "/v2.1/os-availability-zone/detail" -> send(x, 403, "{\"forbidden\":{\"code\":403,\"message\":\"policy\"}}");
            case "/v2.1/os-availability-zone" -> send(x, 200, "{\"availabilityZoneInfo\":[{\"zoneName\":\"nova\",\"zoneState\":{\"available\":true},\"hosts\":null}]}");
            case "/v2.1/os-hypervisors/detail" -> send(x, 403, "{\"forbidden\":{\"code\":403,\"message\":\"policy\"}}");
            case "/v2.1/servers/detail" -> {
                int start = query != null && query.contains("marker=vm") ? Integer.parseInt(query.replaceAll(".*marker=vm(\\d+).*", "$1")) + 1 : 0;
                StringBuilder b = new StringBuilder("{\"servers\":[");
                int end = Math.min(start + 2, 5);
                for (int i = start; i < end; i++) {
                    b.append(i > start ? "," : "").append("{\"id\":\"vm").append(i).append("\",\"name\":\"server-").append(i)
                            .append("\",\"status\":\"ACTIVE\",\"OS-EXT-STS:power_state\":1,\"flavor\":{\"vcpus\":1,\"ram\":512}}");
                }
                b.append("]");
                if (end < 5) {
                    b.append(",\"servers_links\":[{\"rel\":\"next\",\"href\":\"http://elsewhere.invalid/v2.1/servers/detail?limit=2&marker=vm")
                            .append(end - 1).append("\"}]");
                }
                send(x, 200, b.append("}").toString());
            }
            case "/v2.1/servers/vm1/action" -> send(x, 409, "{\"conflictingRequest\":{\"code\":409,\"message\":"
                    + "\"Cannot 'os-stop' instance vm1 while it is in vm_state stopped\"}}");
            case "/v2.1/servers/vm2/action" -> send(x, 202, "");
            case "/v2.1/servers/vm2" -> send(x, 200, "{\"server\":{\"id\":\"vm2\",\"name\":\"server-2\",\"status\":\"SHUTOFF\","
                    + "\"OS-EXT-STS:power_state\":4,\"OS-EXT-STS:task_state\":null}}");
            default -> send(x, 404, "{\"itemNotFound\":{\"code\":404,\"message\":\"not found\"}}");
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private NovaHandle handle() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Endpoint endpoint = new Endpoint(base, true, null, Duration.ofSeconds(5), Duration.ofSeconds(10));
        KeystoneClient keystone = new KeystoneClient(new JsonHttp(endpoint.withBase(URI.create(base + "/v3"))),
                KeystoneScope.parse("/v3?project=demo"));
        TokenSession session = new TokenSession(keystone, "admin", password.toCharArray(), Clock.systemUTC());
        var settings = new OpenStackSettings("public", null, "2.60", 2, "nova", "versioned_notifications", 200);
        return new NovaHandle(new CloudClient(new JsonHttp(endpoint), session, "2.60"), URI.create(base + "/v2.1"), () -> settings);
    }

    @Test
    void inventoryFollowsPagesOnItsOwnConnectionAndRetriesA401Once() {
        CollectingSink sink = new CollectingSink();
        try (NovaHandle nova = handle()) {
            nova.collect(sink);
        }
        assertEquals(List.of("vm0", "vm1", "vm2", "vm3", "vm4"), sink.vms.stream().map(VmItem::emsRef).toList());
        assertEquals(List.of("nova"), sink.clusters.stream().map(ClusterItem::emsRef).toList());
        assertTrue(sink.hosts.isEmpty(), "hypervisors forbidden: no hosts");
        assertEquals(2, tokens.get(), "the refused token was replaced once");
        assertTrue(requests.contains("GET /v2.1/servers/detail?limit=2&marker=vm3"), requests.toString());
    }

    @Test
    void conflictAndActions() {
        refuseFirstToken = false;
        try (NovaHandle nova = handle()) {
            ProviderException e = assertThrows(ProviderException.class, () -> nova.perform("vm1", PowerAction.STOP));
            assertTrue(e.getMessage().startsWith("VM is already stopped"), e.getMessage());
            var result = nova.perform("vm2", PowerAction.STOP);
            assertEquals("SHUTOFF/4", result.rawState());
            assertThrows(ProviderException.class, () -> nova.perform("vm9", PowerAction.START));
            assertThrows(io.junction.api.InvalidInputException.class, () -> nova.perform("../x", PowerAction.START));
        }
        assertTrue(requests.contains("POST /v2.1/servers/vm2/action"));
    }

    @Test
    void wrongPasswordIsAnAuthenticationError() {
        password = "other";
        refuseFirstToken = false;
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Endpoint endpoint = new Endpoint(base, true, null, Duration.ofSeconds(5), Duration.ofSeconds(10));
        KeystoneClient keystone = new KeystoneClient(new JsonHttp(endpoint.withBase(URI.create(base + "/v3"))),
                KeystoneScope.parse("/v3?project=demo"));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> keystone.authenticate("admin", "secret".toCharArray(), java.time.Instant.now()));
        assertTrue(e.getMessage().contains("refused user 'admin'"), e.getMessage());
    }
}
