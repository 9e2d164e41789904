package io.junction.provider.microsoft.internal.scom;

import io.junction.api.service.EmsEvent;
import io.junction.provider.microsoft.internal.powershell.JsonItems.Item;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a SCOM alert, as {@code Get-SCOMAlert | ConvertTo-Json} writes it, into an event. Each
 * change of an alert is its own event: the provider event id is {@code <alert id>@<LastModified>},
 * so a resolution or a new repeat is a new event, while reading the same change twice is not.
 */
final class ScomMapping {
    static final String SOURCE = "scom";
    /** A DNS host name: what a Windows Computer's display name is in SCOM, and what SCVMM calls a host. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    private ScomMapping() {
    }

    /** The alert's event, or {@code null} when it has no Id or LastModified. */
    static EmsEvent event(Item alert) {
        String id = alert.string("Id");
        Instant modified = alert.instant("LastModified");
        if (id == null || id.isBlank() || modified == null) {
            return null;
        }
        id = id.strip().toLowerCase(Locale.ROOT);
        Instant raised = alert.instant("TimeRaised");
        String resolution = resolutionState(alert.string("ResolutionState"));
        String type;
        if ("Closed".equals(resolution)) {
            type = "alert.closed";
        } else if (raised != null && Duration.between(raised, modified).abs().compareTo(Duration.ofSeconds(1)) < 0) {
            type = "alert.new";
        } else {
            type = "alert.changed";
        }
        String severity = severity(alert.string("Severity"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("alertId", id);
        put(attributes, "name", alert.string("Name"));
        put(attributes, "severity", severity);
        put(attributes, "priority", priority(alert.string("Priority")));
        put(attributes, "resolutionState", resolution);
        put(attributes, "monitoringObjectId", alert.string("MonitoringObjectId"));
        put(attributes, "monitoringObjectDisplayName", alert.string("MonitoringObjectDisplayName"));
        put(attributes, "monitoringObjectPath", alert.string("MonitoringObjectPath"));
        put(attributes, "monitoringObjectFullName", alert.string("MonitoringObjectFullName"));
        put(attributes, "timeRaised", raised == null ? null : raised.toString());
        put(attributes, "repeatCount", alert.string("RepeatCount"));
        String description = alert.string("Description");
        if (description != null && description.length() > 1000) {
            description = description.substring(0, 1000) + "…";
        }
        put(attributes, "description", description);
        String name = alert.string("Name");
        return new EmsEvent(SOURCE, id + "@" + modified, type, severity, modified,
                subjectRef(alert.string("MonitoringObjectDisplayName"), alert.string("MonitoringObjectPath")),
                name == null ? "SCOM alert " + id : name, attributes);
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /**
     * Best effort: the host (or VM computer) the alert is about, as the lower-case DNS name the
     * SCVMM inventory uses for hosts, when the monitoring object's display name (or else its
     * path, e.g. a Windows Computer's FQDN) is a host name; {@code null} otherwise.
     */
    static String subjectRef(String displayName, String path) {
        for (String candidate : new String[]{displayName, path}) {
            if (candidate != null && HOST_NAME.matcher(candidate.strip()).matches()) {
                return candidate.strip().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** ManagementPackAlertSeverity: 0 Information, 1 Warning, 2 Error (5.1 writes the number). */
    static String severity(String raw) {
        return switch (raw == null ? "" : raw.strip()) {
            case "0" -> "Information";
            case "1" -> "Warning";
            case "2" -> "Error";
            case "" -> null;
            default -> raw.strip();
        };
    }

    /** ManagementPackWorkflowPriority: 0 Low, 1 Normal, 2 High. */
    static String priority(String raw) {
        return switch (raw == null ? "" : raw.strip()) {
            case "0" -> "Low";
            case "1" -> "Normal";
            case "2" -> "High";
            case "" -> null;
            default -> raw.strip();
        };
    }

    /** 0 New, 255 Closed, others as configured in SCOM (kept as their number). */
    static String resolutionState(String raw) {
        return switch (raw == null ? "" : raw.strip()) {
            case "0" -> "New";
            case "255" -> "Closed";
            case "" -> null;
            default -> raw.strip();
        };
    }
}
