package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Glance's image API v2, read-only: the image list (paginated) and single images. */
final class Glance {
    private static final int DEFAULT_LIMIT = 25;
    private final OpenStackConfig config;
    private final OpenStackSimulator sim;
    private final Inventory inventory;

    Glance(OpenStackConfig config, OpenStackSimulator sim, Inventory inventory) {
        this.config = config;
        this.sim = sim;
        this.inventory = inventory;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String tokenId = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        Optional<Keystone.Token> token = sim.keystone().valid(tokenId);
        int status;
        if (token.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Keystone uri=\"" + sim.keystoneUrl() + "\"");
            Http.send(exchange, 401, Http.unauthorized());
            status = 401;
        } else if (!method.equals("GET")) {
            status = text(exchange, 405, "405 Method Not Allowed\n\nThe method is not allowed for this resource.");
        } else if (sim.recorded().serve(exchange, "glance")) {
            status = 200;
        } else if (path.equals("/v2/images")) {
            status = list(exchange, Http.query(exchange.getRequestURI().getRawQuery()), token.get());
        } else if (path.startsWith("/v2/images/") && path.indexOf('/', "/v2/images/".length()) < 0) {
            String id = path.substring("/v2/images/".length());
            int at = inventory.imagePosition(id);
            if (at < 0) {
                status = text(exchange, 404, "404 Not Found\n\nNo image found with ID " + id + "\n\n   ");
            } else {
                Http.send(exchange, 200, image(inventory.images.get(at), token.get()));
                status = 200;
            }
        } else {
            status = text(exchange, 404, "404 Not Found\n\nThe resource could not be found.\n\n   ");
        }
        sim.log("glance", exchange, tokenId, null, status);
    }

    private int list(HttpExchange exchange, Map<String, String> query, Keystone.Token token) throws IOException {
        int limit = DEFAULT_LIMIT;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                return text(exchange, 400, "400 Bad Request\n\nlimit param must be an integer\n\n   ");
            }
            if (limit < 0) {
                return text(exchange, 400, "400 Bad Request\n\nlimit param must be positive\n\n   ");
            }
        }
        limit = Math.min(limit, config.maxLimit());
        int start = 0;
        if (query.containsKey("marker")) {
            int at = inventory.imagePosition(query.get("marker"));
            if (at < 0) {
                return text(exchange, 400, "400 Bad Request\n\nmarker not found\n\n   ");
            }
            start = at + 1;
        }
        ObjectNode body = Http.object();
        ArrayNode images = body.putArray("images");
        String last = null;
        for (int i = start; i < inventory.images.size() && images.size() < limit; i++) {
            images.add(image(inventory.images.get(i), token));
            last = inventory.images.get(i).id();
        }
        body.put("first", "/v2/images");
        body.put("schema", "/v2/schemas/images");
        if (limit > 0 && images.size() == limit) {
            body.put("next", "/v2/images?marker=" + last + "&limit=" + limit);
        }
        Http.send(exchange, 200, body);
        return 200;
    }

    private ObjectNode image(Inventory.Image i, Keystone.Token token) {
        ObjectNode o = Http.object();
        String hash = Inventory.uuid(0, "checksum", i.id().hashCode()).replace("-", "");
        o.put("status", "active").put("name", i.name()).putArray("tags");
        o.put("container_format", "bare").put("created_at", Nova.TIME.format(i.created())).put("disk_format", i.diskFormat())
                .put("updated_at", Nova.TIME.format(i.created().plusSeconds(30))).put("visibility", "public")
                .put("self", "/v2/images/" + i.id()).put("min_disk", i.minDisk()).put("protected", false).put("id", i.id())
                .put("file", "/v2/images/" + i.id() + "/file").put("checksum", hash).put("os_hash_algo", "sha512")
                .put("os_hash_value", hash.repeat(4)).put("os_hidden", false)
                .put("owner", Keystone.projectId(config.projects().get(0))).put("size", i.size()).put("min_ram", i.minRam())
                .put("schema", "/v2/schemas/image").putNull("virtual_size");
        return o;
    }

    private static int text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
        return status;
    }
}
