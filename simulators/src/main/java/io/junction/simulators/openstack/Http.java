package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small pieces shared by the three services' handlers. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json";

    private Http() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    static void empty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Nova's fault body: {@code {"<name>": {"code": n, "message": "..."}}}. */
    static ObjectNode novaFault(int code, String message) {
        String name = switch (code) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413, 429 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> "computeFault";
        };
        ObjectNode body = object();
        body.putObject(name).put("code", code).put("message", message);
        return body;
    }

    /** Keystone's (and keystonemiddleware's) error body: {@code {"error": {"code", "message", "title"}}}. */
    static ObjectNode keystoneError(int code, String title, String message) {
        ObjectNode body = object();
        body.putObject("error").put("code", code).put("message", message).put("title", title);
        return body;
    }

    static ObjectNode unauthorized() {
        return keystoneError(401, "Unauthorized", "The request you have made requires authentication.");
    }

    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    /**
     * The microversion a request asks of one service in {@code OpenStack-API-Version} (e.g.
     * {@code compute 2.60}, {@code placement 1.10}; several services may share the header, comma
     * separated), or {@code null} when it names none for that service.
     */
    static String requestedMicroversion(HttpExchange exchange, String service) {
        String asked = null;
        for (String header : exchange.getRequestHeaders().getOrDefault("OpenStack-API-Version", List.of())) {
            for (String part : header.split(",")) {
                String[] words = part.trim().split("\\s+");
                if (words.length == 2 && words[0].equalsIgnoreCase(service)) {
                    asked = words[1];
                }
            }
        }
        return asked;
    }

    /** Query parameters, decoded, in order; a repeated name keeps its last value. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
