package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placement (the API Nova's hypervisor list points to for capacity from compute 2.88): one
 * resource provider per hypervisor, its uuid the hypervisor's id (as from compute 2.53), its name
 * the hypervisor host name, and the inventories VCPU, MEMORY_MB and DISK_GB. Read-only; admin only,
 * as placement's default policy; its own microversion ({@code OpenStack-API-Version: placement 1.N}).
 */
final class Placement {
    static final int MAX_MINOR = 39;
    private static final Pattern VERSION = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");
    private static final Pattern PROVIDER = Pattern.compile("^/resource_providers/([^/]+)$");
    private static final Pattern INVENTORIES = Pattern.compile("^/resource_providers/([^/]+)/inventories$");
    /** The list filters this simulator knows (of 1.0); others are refused as placement refuses unknown ones. */
    private static final Set<String> LIST_FILTERS = Set.of("name", "uuid");

    /** A refusal with placement's error body. */
    static final class Error extends Exception {
        final int status;

        Error(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    private final OpenStackSimulator sim;
    private final Inventory inventory;

    Placement(OpenStackSimulator sim, Inventory inventory) {
        this.sim = sim;
        this.inventory = inventory;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String tokenId = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (path.equals("/") || path.isEmpty()) {
            ObjectNode body = Http.object();
            ObjectNode v = body.putArray("versions").addObject();
            v.put("id", "v1.0").put("max_version", "1." + MAX_MINOR).put("min_version", "1.0").put("status", "CURRENT");
            v.putArray("links").addObject().put("rel", "self").put("href", "");
            Http.send(exchange, 200, body);
            sim.log("placement", exchange, tokenId, null, 200);
            return;
        }
        Optional<Keystone.Token> token = sim.keystone().valid(tokenId);
        if (token.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Keystone uri=\"" + sim.keystoneUrl() + "\"");
            Http.send(exchange, 401, Http.unauthorized());
            sim.log("placement", exchange, tokenId, null, 401);
            return;
        }
        int minor = 0;
        String version = null;
        int status;
        try {
            minor = microversion(exchange);
            version = "1." + minor;
            exchange.getResponseHeaders().set("OpenStack-API-Version", "placement " + version);
            exchange.getResponseHeaders().set("Vary", "openstack-api-version");
            status = route(exchange, path, token.get(), minor);
        } catch (Error e) {
            Http.send(exchange, e.status, error(e.status, e.getMessage(), minor));
            status = e.status;
        }
        sim.log("placement", exchange, tokenId, version, status);
    }

    private int route(HttpExchange exchange, String path, Keystone.Token token, int minor) throws IOException, Error {
        boolean list = path.equals("/resource_providers");
        Matcher one = PROVIDER.matcher(path);
        Matcher inventories = INVENTORIES.matcher(path);
        if (!list && !one.matches() && !inventories.matches()) {
            throw new Error(404, "The resource could not be found.");
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            throw new Error(405, "The method " + exchange.getRequestMethod() + " is not allowed for this resource.");
        }
        String rule = list ? "placement:resource_providers:list" : one.matches() ? "placement:resource_providers:show"
                : "placement:resource_providers:inventories:list";
        if (!token.user().admin()) {
            throw new Error(403, "Policy does not allow " + rule + " to be performed.");
        }
        if (list) {
            Map<String, String> query = Http.query(exchange.getRequestURI().getRawQuery());
            for (String name : query.keySet()) {
                if (!LIST_FILTERS.contains(name)) {
                    throw new Error(400, "Invalid query string parameters: Additional properties are not allowed ('" + name
                            + "' was unexpected)");
                }
            }
            String uuid = query.get("uuid");
            if (uuid != null && !isUuid(uuid)) {
                throw new Error(400, "Invalid query string parameters: '" + uuid + "' is not a 'uuid'");
            }
            ObjectNode body = Http.object();
            ArrayNode providers = body.putArray("resource_providers");
            synchronized (inventory) {
                for (Inventory.Hypervisor h : inventory.hypervisors) {
                    if ((query.get("name") == null || query.get("name").equals(h.hostname()))
                            && (uuid == null || uuid.equalsIgnoreCase(h.uuid()))) {
                        provider(providers.addObject(), h, minor);
                    }
                }
            }
            Http.send(exchange, 200, body);
            return 200;
        }
        String uuid = one.matches() ? one.group(1) : inventories.group(1);
        Inventory.Hypervisor h = provider(uuid);
        ObjectNode body = Http.object();
        if (one.matches()) {
            provider(body, h, minor);
        } else {
            ObjectNode all = body.putObject("inventories");
            inventory(all.putObject("DISK_GB"), h.localGb(), 0, 1.0);
            inventory(all.putObject("MEMORY_MB"), h.memoryMb(), 512, 1.5);
            inventory(all.putObject("VCPU"), h.vcpus(), 0, 16.0);
            body.put("resource_provider_generation", generation(h));
        }
        Http.send(exchange, 200, body);
        return 200;
    }

    private Inventory.Hypervisor provider(String uuid) throws Error {
        synchronized (inventory) {
            for (Inventory.Hypervisor h : inventory.hypervisors) {
                if (h.uuid().equalsIgnoreCase(uuid)) {
                    return h;
                }
            }
        }
        throw new Error(404, "No resource provider with uuid " + uuid + " found");
    }

    private static void provider(ObjectNode o, Inventory.Hypervisor h, int minor) {
        o.put("uuid", h.uuid()).put("name", h.hostname()).put("generation", generation(h));
        if (minor >= 14) {
            o.put("root_provider_uuid", h.uuid()).putNull("parent_provider_uuid");
        }
        ArrayNode links = o.putArray("links");
        String self = "/resource_providers/" + h.uuid();
        links.addObject().put("rel", "self").put("href", self);
        links.addObject().put("rel", "inventories").put("href", self + "/inventories");
        links.addObject().put("rel", "usages").put("href", self + "/usages");
    }

    private static void inventory(ObjectNode o, int total, int reserved, double ratio) {
        o.put("allocation_ratio", ratio).put("max_unit", total).put("min_unit", 1).put("reserved", reserved)
                .put("step_size", 1).put("total", total);
    }

    private static int generation(Inventory.Hypervisor h) {
        return 3 + h.id();
    }

    /** Placement's microversion: none means 1.0, {@code latest} the newest; outside 1.0–1.{@value #MAX_MINOR} → 406. */
    private static int microversion(HttpExchange exchange) throws Error {
        String asked = Http.requestedMicroversion(exchange, "placement");
        if (asked == null) {
            return 0;
        }
        if (asked.equalsIgnoreCase("latest")) {
            return MAX_MINOR;
        }
        Matcher m = VERSION.matcher(asked);
        if (!m.matches()) {
            throw new Error(400, "invalid version string: " + asked);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2).length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        if (major != 1 || minor > MAX_MINOR) {
            throw new Error(406, "Unacceptable version header: " + asked);
        }
        return minor;
    }

    /** Placement's error body: {@code {"errors": [{"status", "title", "detail", "request_id"[, "code"]}]}}. */
    static ObjectNode error(int status, String detail, int minor) {
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            default -> "Internal Server Error";
        };
        ObjectNode body = Http.object();
        ObjectNode e = body.putArray("errors").addObject();
        e.put("status", status).put("title", title).put("detail", detail)
                .put("request_id", "req-" + UUID.randomUUID().toString().toLowerCase(Locale.ROOT));
        if (minor >= 23) {
            e.put("code", "placement.undefined_code");
        }
        return body;
    }

    private static boolean isUuid(String text) {
        return text.matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
    }
}
