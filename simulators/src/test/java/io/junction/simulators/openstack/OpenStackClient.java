package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A minimal JDK HTTP client for the tests, trusting only the simulator's CA. */
final class OpenStackClient {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http;
    final OpenStackSimulator sim;

    record Answer(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    OpenStackClient(OpenStackSimulator sim) {
        this.sim = sim;
        this.http = HttpClient.newBuilder().sslContext(sim.clientTls()).build();
    }

    static String passwordAuth(String user, String password, String project) {
        return """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s", "domain": {"name": "Default"},
                 "password": "%s"}}}, "scope": {"project": {"name": "%s", "domain": {"id": "default"}}}}}
                """.formatted(user, password, project);
    }

    Answer authenticate(String user, String password, String project) {
        return send("POST", sim.keystoneUrl() + "/auth/tokens", passwordAuth(user, password, project), Map.of());
    }

    String token(String user, String password, String project) {
        Answer a = authenticate(user, password, project);
        if (a.status() != 201) {
            throw new AssertionError("authentication failed: " + a);
        }
        return a.header("X-Subject-Token");
    }

    Answer get(String url, String token, String... headers) {
        java.util.Map<String, String> h = new java.util.HashMap<>();
        if (token != null) {
            h.put("X-Auth-Token", token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return send("GET", url, null, h);
    }

    Answer post(String url, String token, String body) {
        return send("POST", url, body, Map.of("X-Auth-Token", token));
    }

    Answer send(String method, String url, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::setHeader);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
