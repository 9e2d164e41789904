package io.junction.simulators.winrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScomAlertTest {
    static final String PROLOGUE = "$ErrorActionPreference = 'Stop'\n$ProgressPreference = 'SilentlyContinue'\n"
            + "Import-Module OperationsManager\nNew-SCOMManagementGroupConnection -ComputerName localhost\n";
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    MovableClock clock = new MovableClock();
    WinRmSimulator simulator;
    WsmanTestClient client;

    @BeforeEach
    void start() {
        simulator = WinRmSimulator.start(SimulatorConfig.scom().account("ops", "secret").clock(clock)
                .alerts(Duration.ofMinutes(1), 3));
        client = new WsmanTestClient(simulator.url(), simulator.identity().clientContext(), "ops", "secret");
    }

    @AfterEach
    void stop() {
        simulator.stop();
    }

    JsonNode alerts(String criteria) throws Exception {
        String script = PROLOGUE + (criteria == null ? "ConvertTo-Json -InputObject @(Get-SCOMAlert) -Compress -Depth 2"
                : "$since = '" + criteria + "'\nConvertTo-Json -InputObject @(Get-SCOMAlert -Criteria \"LastModified > '$since'\") -Compress -Depth 2");
        return ScvmmCmdletTest.json(client.runScript(script));
    }

    static long millis(JsonNode alert, String field) {
        String t = alert.get(field).asText();
        return Long.parseLong(t.substring(6, t.length() - 2));
    }

    @Test
    void alertsAreRaisedAndClosedAsTheClockMoves() throws Exception {
        JsonNode first = alerts(null);
        assertEquals(3, first.size());
        JsonNode alert = first.get(0);
        for (String field : new String[] {"Id", "Name", "Severity", "Priority", "ResolutionState", "MonitoringObjectId",
            "MonitoringObjectDisplayName", "MonitoringObjectPath", "TimeRaised", "LastModified", "RepeatCount"}) {
            assertTrue(alert.has(field), field);
        }
        assertEquals(0, alert.get("ResolutionState").asInt());
        assertEquals(START.minus(Duration.ofMinutes(2)).toEpochMilli(), millis(alert, "TimeRaised"));

        clock.now = START.plus(Duration.ofSeconds(150));
        JsonNode later = alerts(null);
        assertEquals(5, later.size(), "two more raised in 150 s");
        // the second alert (raised at START-1m) closes 2.5 intervals later, at START+1m30s
        JsonNode closed = later.get(1);
        assertEquals(255, closed.get("ResolutionState").asInt());
        assertEquals(START.plus(Duration.ofSeconds(90)).toEpochMilli(), millis(closed, "LastModified"));
    }

    @Test
    void criteriaFilterByLastModified() throws Exception {
        clock.now = START.plus(Duration.ofSeconds(150));
        String since = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(START.atOffset(ZoneOffset.UTC));
        JsonNode changed = alerts(since);
        // raised at +1m and +2m, plus the one closed at +1m30s
        assertEquals(3, changed.size());
        for (JsonNode a : changed) {
            assertTrue(millis(a, "LastModified") > START.toEpochMilli());
        }
        assertEquals(0, alerts("2026-01-01T00:02:00.000Z").size());

        // >= with a doubled quote inside a single-quoted literal, as the provider writes it
        JsonNode atOrAfter = ScvmmCmdletTest.json(client.runScript("$criteria='LastModified >= ''2026-01-01 00:02:00.000''';"
                + "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';Import-Module OperationsManager;"
                + "New-SCOMManagementGroupConnection -ComputerName localhost;"
                + "ConvertTo-Json -InputObject @(Get-SCOMAlert -Criteria $criteria) -Compress -Depth 1"));
        assertEquals(1, atOrAfter.size());

        WsmanTestClient.Output bad = client.runScript(PROLOGUE + "Get-SCOMAlert -Criteria \"Severity = 2\" | ConvertTo-Json -Compress -Depth 2");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("InvalidCriteria"), bad.stderr());
    }

    @Test
    void scomAlertsAreWhatGetScomAlertShows() throws Exception {
        clock.now = START.plus(Duration.ofSeconds(150));
        JsonNode shown = alerts(null);
        List<ScomAlert> held = simulator.scomAlerts();
        assertEquals(shown.size(), held.size());
        for (int i = 0; i < held.size(); i++) {
            assertEquals(UUID.fromString(shown.get(i).get("Id").asText()), held.get(i).id());
            assertEquals(Instant.ofEpochMilli(millis(shown.get(i), "LastModified")), held.get(i).lastModified());
        }
        assertThrows(UnsupportedOperationException.class, () -> held.remove(0));
        try (WinRmSimulator vmm = WinRmSimulator.start(SimulatorConfig.scvmm().account("a", "b"))) {
            assertEquals(List.of(), vmm.scomAlerts());
        }
    }

    @Test
    void vmmCmdletsAreNotThere() throws Exception {
        WsmanTestClient.Output out = client.runScript("Get-SCVirtualMachine -All | ConvertTo-Json -Compress -Depth 2");
        assertEquals(1, out.exitCode());
        assertTrue(out.stderr().contains("CommandNotFoundException"), out.stderr());
    }
}
