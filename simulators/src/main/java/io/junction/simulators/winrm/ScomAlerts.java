package io.junction.simulators.winrm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * SCOM alerts that follow the clock: one is raised per interval (some before start), and every
 * third one is closed two and a half intervals after it was raised, which sets its
 * ResolutionState to 255 and moves its LastModified. Everything follows from the seed and the
 * clock, so a test that moves its clock knows what it will see.
 */
final class ScomAlerts {
    static final int NEW = 0;
    static final int CLOSED = 255;
    static final int LIMIT = 100_000;
    private static final String[][] KINDS = {
        // name, severity (0 Information, 1 Warning, 2 Error), priority (0 Low, 1 Normal, 2 High), monitor alert
        {"Health Service Heartbeat Failure", "2", "2", "true"},
        {"Logical Disk Free Space is low", "1", "1", "true"},
        {"Failed to Connect to Computer", "2", "1", "true"},
        {"Memory Pages Per Second is too high", "1", "0", "true"},
        {"Script or Executable Failed to run", "1", "1", "false"},
        {"Operations Manager failed to start a process", "0", "0", "false"},
    };
    private static final String[] OBJECTS = {"hv01.junction.test", "hv02.junction.test", "hv03.junction.test",
        "sql01.junction.test", "vmm01.junction.test"};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final long seed;
    private final Clock clock;
    private final Duration interval;
    private final Instant firstRaise;
    private final List<ObjectNode> alerts = new ArrayList<>();
    private final List<Instant> closeAt = new ArrayList<>();
    private int nextClose;

    ScomAlerts(long seed, Clock clock, Duration interval, int raisedBeforeStart) {
        this.seed = seed;
        this.clock = clock;
        this.interval = interval;
        this.firstRaise = clock.instant().truncatedTo(ChronoUnit.MILLIS).minus(interval.multipliedBy(raisedBeforeStart - 1L));
    }

    /** The alerts as they are now. */
    synchronized List<ObjectNode> current() {
        advance(clock.instant());
        List<ObjectNode> out = new ArrayList<>(alerts.size());
        for (ObjectNode alert : alerts) {
            out.add(alert.deepCopy());
        }
        return out;
    }

    /** The id and LastModified of each alert as it is now, for {@link WinRmSimulator#scomAlerts()}. */
    synchronized List<ScomAlert> snapshot() {
        advance(clock.instant());
        List<ScomAlert> out = new ArrayList<>(alerts.size());
        for (ObjectNode alert : alerts) {
            out.add(new ScomAlert(UUID.fromString(alert.get("Id").asText()), lastModified(alert)));
        }
        return List.copyOf(out);
    }

    private void advance(Instant now) {
        while (alerts.size() < LIMIT) {
            Instant raised = firstRaise.plus(interval.multipliedBy(alerts.size()));
            if (raised.isAfter(now)) {
                break;
            }
            int k = alerts.size();
            alerts.add(alert(k, raised));
            closeAt.add(k % 3 == 1 ? raised.plus(interval.multipliedBy(5).dividedBy(2)) : null);
        }
        // closings happen in raise order, since each comes a fixed time after its raise
        while (nextClose < alerts.size()) {
            Instant at = closeAt.get(nextClose);
            if (at != null) {
                if (at.isAfter(now)) {
                    break;
                }
                ObjectNode alert = alerts.get(nextClose);
                alert.put("ResolutionState", CLOSED);
                alert.put("LastModified", Deterministic.jsonDate(at));
                alert.put("LastModifiedBy", "System");
                alert.put("TimeResolved", Deterministic.jsonDate(at));
                alert.put("ResolvedBy", "System");
                alert.put("TimeResolutionStateLastModified", Deterministic.jsonDate(at));
            }
            nextClose++;
        }
    }

    private ObjectNode alert(int k, Instant raised) {
        String[] kind = KINDS[Deterministic.pick(seed, "alertkind", k, KINDS.length)];
        int target = Deterministic.pick(seed, "alertobject", k, OBJECTS.length);
        String object = OBJECTS[target];
        ObjectNode a = JSON.objectNode();
        a.put("Id", Deterministic.uuid(seed, "alert", k).toString());
        a.put("Name", kind[0]);
        a.put("Description", kind[0] + " on " + object + ".");
        a.put("MonitoringObjectId", Deterministic.uuid(seed, "monitoringobject", target).toString());
        a.put("MonitoringClassId", Deterministic.uuid(seed, "monitoringclass", 0).toString());
        a.put("MonitoringObjectDisplayName", object);
        a.put("MonitoringObjectName", object);
        a.put("MonitoringObjectPath", object);
        a.put("MonitoringObjectFullName", "Microsoft.Windows.Computer:" + object);
        a.put("IsMonitorAlert", Boolean.parseBoolean(kind[3]));
        a.put("ProblemId", Deterministic.uuid(seed, "problem", k % KINDS.length).toString());
        a.put("Category", kind[3].equals("true") ? "StateCollection" : "Alert");
        a.put("ResolutionState", NEW);
        a.put("Priority", Integer.parseInt(kind[2]));
        a.put("Severity", Integer.parseInt(kind[1]));
        a.putNull("Owner");
        a.putNull("ResolvedBy");
        a.put("TimeRaised", Deterministic.jsonDate(raised));
        a.put("TimeAdded", Deterministic.jsonDate(raised));
        a.put("LastModified", Deterministic.jsonDate(raised));
        a.put("LastModifiedBy", "System");
        a.putNull("TimeResolved");
        a.put("TimeResolutionStateLastModified", Deterministic.jsonDate(raised));
        a.put("RepeatCount", 0);
        a.put("NetbiosComputerName", object.substring(0, object.indexOf('.')).toUpperCase(Locale.ROOT));
        a.put("NetbiosDomainName", "JUNCTION");
        a.put("PrincipalName", object);
        return a;
    }

    /** The LastModified instant of an alert object. */
    static Instant lastModified(ObjectNode alert) {
        String text = alert.get("LastModified").asText();
        return Instant.ofEpochMilli(Long.parseLong(text.substring(6, text.length() - 2)));
    }
}
