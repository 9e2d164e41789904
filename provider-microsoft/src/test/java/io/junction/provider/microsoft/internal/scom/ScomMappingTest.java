package io.junction.provider.microsoft.internal.scom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.service.EmsEvent;
import io.junction.provider.microsoft.internal.powershell.JsonItems;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScomMappingTest {

    private static List<EmsEvent> sample() throws IOException {
        List<EmsEvent> out = new ArrayList<>();
        try (InputStream in = ScomMappingTest.class.getResourceAsStream("/scom-alerts.json")) {
            JsonItems.forEach(in, o -> {
                EmsEvent e = ScomMapping.event(o);
                if (e != null) {
                    out.add(e);
                }
            });
        }
        return out;
    }

    @Test
    void alertsBecomeEvents() throws IOException {
        List<EmsEvent> events = sample();
        assertEquals(3, events.size(), "the alert without Id is left out");
        EmsEvent disk = events.get(0);
        assertEquals("scom", disk.source());
        assertEquals("6a1e0a0e-8d3c-4b5a-9f7e-2c1d0b9a8f71@" + Instant.ofEpochMilli(1732514400000L), disk.providerEventId());
        assertEquals("alert.new", disk.type());
        assertEquals("Warning", disk.severity());
        assertEquals(Instant.ofEpochMilli(1732514400000L), disk.occurredAt());
        assertEquals("hv01.contoso.com", disk.subjectRef());
        assertEquals("Logical Disk Free Space is low", disk.message());
        assertEquals("Normal", disk.attributes().get("priority"));
        assertEquals("New", disk.attributes().get("resolutionState"));
        assertEquals("HV01.contoso.com", disk.attributes().get("monitoringObjectDisplayName"));

        EmsEvent heartbeat = events.get(1);
        assertEquals("alert.closed", heartbeat.type());
        assertEquals("Error", heartbeat.severity());
        assertEquals("High", heartbeat.attributes().get("priority"));
        assertEquals("Closed", heartbeat.attributes().get("resolutionState"));
        assertEquals("hv02.contoso.com", heartbeat.subjectRef(), "from the path when the display name is no host");
        assertEquals("3", heartbeat.attributes().get("repeatCount"));

        EmsEvent pool = events.get(2);
        assertEquals("alert.changed", pool.type());
        assertEquals("Warning", pool.severity());
        assertNull(pool.subjectRef());
    }

    @Test
    void aResolutionIsANewEvent() throws IOException {
        EmsEvent raised = sample().get(0);
        JsonItems.Item closed = new JsonItems.Item(new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER));
        // the same alert, closed later
        var values = new java.util.TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
        values.put("Id", "6a1e0a0e-8d3c-4b5a-9f7e-2c1d0b9a8f71");
        values.put("ResolutionState", 255L);
        values.put("TimeRaised", "/Date(1732514400000)/");
        values.put("LastModified", "/Date(1732518000000)/");
        EmsEvent resolved = ScomMapping.event(new JsonItems.Item(values));
        assertFalse(raised.providerEventId().equals(resolved.providerEventId()));
        assertEquals("alert.closed", resolved.type());
        assertNull(ScomMapping.event(closed));
    }

    @Test
    void pollStateSkipsWhatWasDeliveredAtTheCursor() throws IOException {
        List<EmsEvent> events = sample();
        Instant t0 = Instant.ofEpochMilli(1732514400000L);
        ScomHandle.PollState start = new ScomHandle.PollState(t0, Set.of());
        assertTrue(events.stream().allMatch(start::isNew));
        ScomHandle.PollState after = start.after(events);
        assertEquals(Instant.ofEpochMilli(1732515000000L), after.cursor());
        assertEquals(2, after.deliveredAtCursor().size());
        assertFalse(after.isNew(events.get(0)), "older than the cursor");
        assertFalse(after.isNew(events.get(1)), "delivered at the cursor");
        assertFalse(after.isNew(events.get(2)));
    }

    @Test
    void criteriaHoldOnlyTheFormattedTime() {
        assertEquals("LastModified >= '2024-11-25 06:00:00.123'", ScomScripts.criteria(Instant.parse("2024-11-25T06:00:00.123456Z")));
        String text = ScomScripts.alertsSince(Instant.parse("2024-11-25T06:00:00Z")).text();
        assertTrue(text.startsWith("$criteria='LastModified >= ''2024-11-25 06:00:00.000''';"), text);
        ScomScripts.alertsSince(Instant.now()).commandLine();
    }

    @Test
    void cursorsAreInstants() {
        assertNull(ScomHandle.parseCursor(null));
        assertEquals(Instant.parse("2024-11-25T06:00:00Z"), ScomHandle.parseCursor("2024-11-25T06:00:00Z"));
        org.junit.jupiter.api.Assertions.assertThrows(io.junction.api.InvalidInputException.class, () -> ScomHandle.parseCursor("yesterday"));
    }
}
