package io.junction.provider.openstack.internal.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.service.EmsEvent;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Nova notifications as oslo.messaging sends them: the envelope
 * {@code {"oslo.version": "2.0", "oslo.message": "<the notification as a JSON string>"}} (or, from
 * the unenveloped {@code messaging} driver, the notification itself), whose inner JSON has
 * {@code message_id}, {@code publisher_id}, {@code event_type}, {@code priority}, {@code payload}
 * (a versioned {@code nova_object} or a plain object) and {@code timestamp}.
 */
public final class NovaNotifications {
    public static final String SOURCE = "nova";

    private NovaNotifications() {
    }

    /** A message that is not a notification: it is acknowledged and left out. */
    public static final class MalformedNotification extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedNotification(String message) {
            super(message);
        }
    }

    /**
     * The event a message body holds.
     *
     * @param receivedAt used when the notification has no readable timestamp
     */
    public static EmsEvent event(byte[] body, Instant receivedAt) throws MalformedNotification {
        JsonNode outer;
        try {
            outer = JsonHttp.JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedNotification("not JSON: " + firstLine(e));
        }
        if (outer == null || !outer.isObject()) {
            throw new MalformedNotification("not a JSON object");
        }
        JsonNode n = outer;
        if (outer.has("oslo.message")) {
            JsonNode inner = outer.get("oslo.message");
            if (!inner.isTextual()) {
                throw new MalformedNotification("oslo.message is not a JSON string");
            }
            try {
                n = JsonHttp.JSON.readTree(inner.asText());
            } catch (IOException e) {
                throw new MalformedNotification("oslo.message is not JSON: " + firstLine(e));
            }
            if (n == null || !n.isObject()) {
                throw new MalformedNotification("oslo.message is not a JSON object");
            }
        }
        String id = text(n, "message_id");
        String type = text(n, "event_type");
        if (id == null || type == null) {
            throw new MalformedNotification("no message_id or event_type");
        }
        JsonNode payload = n.path("payload");
        JsonNode data = payload.has("nova_object.data") ? payload.get("nova_object.data") : payload;
        String uuid = text(data, "uuid");
        if (uuid == null) {
            uuid = text(data, "instance_id");
        }
        String name = text(data, "display_name");
        String state = text(data, "state");
        String power = text(data, "power_state");
        String task = text(data, "task_state");
        String fault = text(data.path("fault").path("nova_object.data"), "exception_message");
        if (fault == null) {
            fault = text(data.path("fault"), "exception_message");
        }
        String priority = text(n, "priority");

        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "publisherId", text(n, "publisher_id"));
        put(attributes, "priority", priority);
        put(attributes, "payloadType", text(payload, "nova_object.name"));
        put(attributes, "displayName", name);
        put(attributes, "state", state);
        put(attributes, "powerState", power);
        put(attributes, "taskState", task);
        put(attributes, "host", text(data, "host"));
        put(attributes, "node", text(data, "node"));
        put(attributes, "tenantId", text(data, "tenant_id"));
        put(attributes, "userId", text(data, "user_id"));
        put(attributes, "fault", fault);

        StringBuilder message = new StringBuilder();
        message.append(name != null ? name : uuid != null ? uuid : "nova").append(": ").append(type);
        if (state != null || power != null) {
            message.append(" (state ").append(state == null ? "?" : state);
            if (power != null) {
                message.append(", power ").append(power);
            }
            message.append(')');
        }
        if (fault != null) {
            message.append(": ").append(fault);
        }
        Instant at = timestamp(text(n, "timestamp"));
        return new EmsEvent(SOURCE, id, type, severity(priority), at == null ? receivedAt : at, uuid, message.toString(), attributes);
    }

    /** oslo priorities ({@code INFO}, {@code WARN}, {@code ERROR}…) as severities: {@code info}, {@code warning}, {@code error}, {@code critical}. */
    static String severity(String priority) {
        if (priority == null) {
            return null;
        }
        return switch (priority.toUpperCase(Locale.ROOT)) {
            case "WARN", "WARNING" -> "warning";
            case "ERROR" -> "error";
            case "CRITICAL" -> "critical";
            case "DEBUG" -> "debug";
            case "AUDIT", "INFO", "SAMPLE" -> "info";
            default -> priority.toLowerCase(Locale.ROOT);
        };
    }

    /** oslo's {@code 2026-11-25 07:30:12.345678} (UTC, no zone), or ISO-8601 with a zone. */
    static Instant timestamp(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage() == null ? "no detail given" : e.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
