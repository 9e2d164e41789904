package io.junction.provider.openstack.internal.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.AuthenticationException;
import io.junction.api.ProviderException;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Keystone v3 password authentication scoped to a project: {@code POST <v3>/auth/tokens}. */
public final class KeystoneClient implements Authenticator {
    private final JsonHttp http;
    private final KeystoneScope scope;

    /** @param http the client for the identity connection's server (its base path is replaced by the scope's) */
    public KeystoneClient(JsonHttp http, KeystoneScope scope) {
        this.http = http;
        this.scope = scope;
    }

    public KeystoneScope scope() {
        return scope;
    }

    @Override
    public String address() {
        return http.endpoint().address();
    }

    /**
     * Authenticates and returns the token with its catalog.
     *
     * @throws AuthenticationException on 401 (wrong user, password, domain or project)
     * @throws ProviderException       on any other refusal
     */
    @Override
    public Token authenticate(String user, char[] password, Instant now) {
        ObjectNode body = requestBody(scope, user, password);
        HttpRequest request = http.request(http.endpoint().resolve("/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(JsonHttp.body(body)).build();
        body.removeAll();
        HttpResponse<InputStream> response = http.send(request, "Keystone");
        int status = response.statusCode();
        if (status == 401) {
            String m = JsonHttp.errorMessage(response);
            throw new AuthenticationException("Keystone at " + address() + " refused user '" + user + "' (domain "
                    + (scope.userDomain() != null ? scope.userDomain() : "id " + scope.userDomainId()) + ") for project "
                    + scope.describeProject() + " (HTTP 401" + (m.isEmpty() ? "" : ": " + m)
                    + "); check the user, the password and the identity connection's path");
        }
        if (status == 403 || status == 404 || status == 400) {
            String m = JsonHttp.errorMessage(response);
            throw new ProviderException("Keystone at " + address() + " refused to issue a token for project "
                    + scope.describeProject() + " (HTTP " + status + (m.isEmpty() ? "" : ": " + m) + ")"
                    + (status == 404 ? "; is the path " + scope.basePath() + " Keystone's v3 API?" : ""));
        }
        if (status != 201 && status != 200) {
            String m = JsonHttp.errorMessage(response);
            throw new ProviderException("Keystone at " + address() + " answered HTTP " + status + (m.isEmpty() ? "" : ": " + m));
        }
        String id = response.headers().firstValue("X-Subject-Token").orElse(null);
        JsonNode answer = JsonHttp.readTree(response, "Keystone");
        if (id == null || id.isBlank()) {
            throw new ProviderException("Keystone at " + address() + " issued no X-Subject-Token header");
        }
        return token(id, answer, now);
    }

    static ObjectNode requestBody(KeystoneScope scope, String user, char[] password) {
        ObjectNode root = JsonHttp.JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode u = identity.putObject("password").putObject("user");
        u.put("name", user);
        domain(u.putObject("domain"), scope.userDomain(), scope.userDomainId());
        u.put("password", new String(password));
        ObjectNode project = auth.putObject("scope").putObject("project");
        if (scope.projectId() != null) {
            project.put("id", scope.projectId());
        } else {
            project.put("name", scope.project());
            domain(project.putObject("domain"), scope.projectDomain(), scope.projectDomainId());
        }
        return root;
    }

    private static void domain(ObjectNode node, String name, String id) {
        if (id != null) {
            node.put("id", id);
        } else {
            node.put("name", name);
        }
    }

    /** Reads a token answer's body. */
    static Token token(String id, JsonNode answer, Instant now) {
        JsonNode t = answer.path("token");
        if (!t.isObject()) {
            throw new ProviderException("Keystone's token answer has no 'token' object");
        }
        Instant expires = instant(t.path("expires_at").asText(null));
        if (expires == null) {
            throw new ProviderException("Keystone's token has no readable expires_at");
        }
        Instant issued = instant(t.path("issued_at").asText(null));
        String projectId = t.path("project").path("id").asText(null);
        return new Token(id, expires, issued == null ? now : issued, projectId, Catalog.of(t.path("catalog")));
    }

    /** Keystone's times: {@code 2026-11-25T08:30:00.000000Z} (or with an offset). */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text.strip()).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
