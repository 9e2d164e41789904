package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keystone v3: password authentication, project-scoped tokens with a catalog, token validation. */
final class Keystone {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final String DOMAIN_ID = "default";
    static final String DOMAIN_NAME = "Default";

    record Token(String id, OpenStackConfig.User user, String userId, String project, String projectId,
            Instant issued, Instant expires, String auditId) {
    }

    private final OpenStackConfig config;
    private final OpenStackSimulator sim;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    Keystone(OpenStackConfig config, OpenStackSimulator sim) {
        this.config = config;
        this.sim = sim;
    }

    static String userId(String name) {
        return Inventory.uuid(0, "user", name.hashCode()).replace("-", "");
    }

    static String projectId(String name) {
        return Inventory.uuid(0, "project", name.hashCode()).replace("-", "");
    }

    /** The token named by a request's X-Auth-Token if it exists and has not expired. */
    Optional<Token> valid(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Token token = tokens.get(id);
        if (token == null || !config.clock().instant().isBefore(token.expires())) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String authToken = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        int status;
        if (path.equals("/v3/auth/tokens") || path.equals("/v3/auth/tokens/")) {
            status = switch (method) {
                case "POST" -> issue(exchange);
                case "GET", "HEAD" -> validate(exchange, authToken, method.equals("HEAD"));
                case "DELETE" -> revoke(exchange, authToken);
                default -> {
                    Http.send(exchange, 405, Http.keystoneError(405, "Method Not Allowed",
                            "The requested method is not allowed for this resource."));
                    yield 405;
                }
            };
        } else if ((path.equals("/v3") || path.equals("/v3/")) && method.equals("GET")) {
            ObjectNode body = Http.object();
            ObjectNode version = body.putObject("version");
            version.put("id", "v3.14").put("status", "stable").put("updated", "2020-04-07T00:00:00Z");
            version.putArray("links").addObject().put("rel", "self").put("href", sim.keystoneUrl() + "/");
            version.putArray("media-types").addObject().put("base", "application/json")
                    .put("type", "application/vnd.openstack.identity-v3+json");
            Http.send(exchange, 200, body);
            status = 200;
        } else {
            Http.send(exchange, 404, Http.keystoneError(404, "Not Found", "The resource could not be found."));
            status = 404;
        }
        sim.log("keystone", exchange, authToken, null, status);
    }

    private int issue(HttpExchange exchange) throws IOException {
        JsonNode body;
        try {
            body = Http.JSON.readTree(Http.readBody(exchange));
        } catch (IOException e) {
            body = null;
        }
        JsonNode auth = body == null ? null : body.path("auth");
        JsonNode identity = auth == null ? null : auth.path("identity");
        if (identity == null || !identity.path("methods").isArray() || !identity.path("password").path("user").isObject()) {
            return badRequest(exchange, "Expecting to find identity in auth. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.");
        }
        boolean password = false;
        for (JsonNode m : identity.path("methods")) {
            password |= m.asText().equals("password");
        }
        if (!password) {
            return unauthorized(exchange);
        }
        JsonNode user = identity.path("password").path("user");
        String name = user.path("name").asText(null);
        String id = user.path("id").asText(null);
        String secret = user.path("password").asText(null);
        if ((name == null && id == null) || secret == null) {
            return badRequest(exchange, "Invalid input for field 'identity/password/user': 'password' is a required property");
        }
        if (name != null && id == null && !user.path("domain").isObject()) {
            return badRequest(exchange, "Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.");
        }
        OpenStackConfig.User account = null;
        for (OpenStackConfig.User u : config.users()) {
            boolean match = id != null ? userId(u.name()).equals(id) : u.name().equals(name) && isDefaultDomain(user.path("domain"));
            if (match && u.password().equals(secret)) {
                account = u;
            }
        }
        if (account == null) {
            return unauthorized(exchange);
        }
        String project = null;
        JsonNode scope = auth.path("scope");
        if (scope.isObject()) {
            JsonNode p = scope.path("project");
            if (!p.isObject()) {
                // domain or system scope: not modelled
                return unauthorized(exchange);
            }
            for (String candidate : config.projects()) {
                boolean match = p.hasNonNull("id") ? projectId(candidate).equals(p.path("id").asText())
                        : candidate.equals(p.path("name").asText()) && isDefaultDomain(p.path("domain"));
                if (match) {
                    project = candidate;
                }
            }
            if (project == null) {
                return unauthorized(exchange);
            }
        }
        Instant now = config.clock().instant().truncatedTo(ChronoUnit.MICROS);
        Token token = new Token(newToken(), account, userId(account.name()), project, project == null ? null : projectId(project),
                now, now.plus(config.tokenLifetime()), urlSafe(16));
        tokens.put(token.id(), token);
        exchange.getResponseHeaders().set("X-Subject-Token", token.id());
        Http.send(exchange, 201, tokenBody(token));
        return 201;
    }

    private int validate(HttpExchange exchange, String authToken, boolean head) throws IOException {
        if (valid(authToken).isEmpty()) {
            return unauthorized(exchange);
        }
        String subject = exchange.getRequestHeaders().getFirst("X-Subject-Token");
        Optional<Token> token = valid(subject);
        if (token.isEmpty()) {
            Http.send(exchange, 404, Http.keystoneError(404, "Not Found", "Could not find token: " + subject + "."));
            return 404;
        }
        exchange.getResponseHeaders().set("X-Subject-Token", subject);
        if (head) {
            Http.empty(exchange, 200);
        } else {
            Http.send(exchange, 200, tokenBody(token.get()));
        }
        return 200;
    }

    private int revoke(HttpExchange exchange, String authToken) throws IOException {
        if (valid(authToken).isEmpty()) {
            return unauthorized(exchange);
        }
        String subject = exchange.getRequestHeaders().getFirst("X-Subject-Token");
        if (subject == null || tokens.remove(subject) == null) {
            Http.send(exchange, 404, Http.keystoneError(404, "Not Found", "Could not find token: " + subject + "."));
            return 404;
        }
        Http.empty(exchange, 204);
        return 204;
    }

    private static boolean isDefaultDomain(JsonNode domain) {
        if (domain.hasNonNull("id")) {
            return domain.path("id").asText().equals(DOMAIN_ID);
        }
        return domain.path("name").asText().equals(DOMAIN_NAME);
    }

    private ObjectNode tokenBody(Token t) {
        ObjectNode body = Http.object();
        ObjectNode token = body.putObject("token");
        token.putArray("methods").add("password");
        ObjectNode user = token.putObject("user");
        user.putObject("domain").put("id", DOMAIN_ID).put("name", DOMAIN_NAME);
        user.put("id", t.userId()).put("name", t.user().name()).putNull("password_expires_at");
        token.putArray("audit_ids").add(t.auditId());
        token.put("expires_at", TIME.format(t.expires()));
        token.put("issued_at", TIME.format(t.issued()));
        if (t.project() != null) {
            ObjectNode project = token.putObject("project");
            project.putObject("domain").put("id", DOMAIN_ID).put("name", DOMAIN_NAME);
            project.put("id", t.projectId()).put("name", t.project());
            token.put("is_domain", false);
            ArrayNode roles = token.putArray("roles");
            List<String> names = t.user().admin() ? List.of("admin", "member", "reader") : List.of("member", "reader");
            for (String role : names) {
                roles.addObject().put("id", Inventory.uuid(0, "role", role.hashCode()).replace("-", "")).put("name", role);
            }
            ArrayNode catalog = token.putArray("catalog");
            service(catalog, "identity", "keystone", sim.keystoneUrl());
            if (config.computeInCatalog()) {
                service(catalog, "compute", "nova", sim.novaUrl());
            }
            service(catalog, "image", "glance", sim.glanceUrl());
            if (config.placementInCatalog()) {
                service(catalog, "placement", "placement", sim.placementUrl());
            }
        }
        return body;
    }

    private void service(ArrayNode catalog, String type, String name, String url) {
        ObjectNode service = catalog.addObject();
        ArrayNode endpoints = service.putArray("endpoints");
        for (String iface : List.of("public", "internal", "admin")) {
            endpoints.addObject().put("id", Inventory.uuid(0, "endpoint/" + type, iface.hashCode()).replace("-", ""))
                    .put("interface", iface).put("region", config.region()).put("region_id", config.region()).put("url", url);
        }
        service.put("id", Inventory.uuid(0, "service", type.hashCode()).replace("-", ""));
        service.put("type", type);
        service.put("name", name);
    }

    private String newToken() {
        // the length and alphabet of a Fernet token
        return "gAAAAAB" + urlSafe(136);
    }

    private String urlSafe(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private int unauthorized(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Keystone uri=\"" + sim.keystoneUrl() + "\"");
        Http.send(exchange, 401, Http.unauthorized());
        return 401;
    }

    private int badRequest(HttpExchange exchange, String message) throws IOException {
        Http.send(exchange, 400, Http.keystoneError(400, "Bad Request", message));
        return 400;
    }
}
