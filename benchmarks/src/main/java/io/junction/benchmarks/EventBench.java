package io.junction.benchmarks;

import io.junction.api.service.EmsEvent;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Event ingest through Junction against raw JDBC, in one JVM run:
 * <ol>
 * <li>baseline: N events (the synthetic provider's, same column values) inserted into JN_EVENT of
 * a fresh database with Junction's schema (embedded Derby, or with {@code --postgresql} a database
 * on a PostgreSQL server started for the run, where Junction then runs too), a batched prepared statement per batch of B, one
 * transaction per batch;</li>
 * <li>Junction booted from the distribution's bundles plus the synthetic provider; the same N
 * events through the {@code EventStore} service, {@code store(ems, batch, cursor)} per batch of
 * B (de-duplication against what is stored, cursor in the same transaction), then one batch
 * stored again (all duplicates);</li>
 * <li>the real pipeline: a synthetic EMS whose connection path asks for R events per second;
 * the event pipeline subscribes, the provider delivers what is due every 100 ms (a bigger batch
 * after a slow store), each batch is stored and posted to EventAdmin; the stored count is polled
 * until N;</li>
 * <li>the baseline again, to see how the machine drifted.</li>
 * </ol>
 * Args: {@code [--postgresql] [events N (100000)] [batch B (500)] [pipeline rate R (50000)] [pipeline time limit in s (120)]}.
 */
public final class EventBench {
    private EventBench() {
    }

    public static void main(String[] arguments) throws Exception {
        List<String> rest = new ArrayList<>(List.of(arguments));
        Path scratch = Files.createTempDirectory("junction-event-bench");
        try (BenchSupport.BenchDatabase db = BenchSupport.BenchDatabase.start(rest, scratch)) {
            run(rest.toArray(String[]::new), db);
        } finally {
            try (var files = Files.walk(scratch)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    private static void run(String[] args, BenchSupport.BenchDatabase db) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        System.out.printf("%,d events, batches of %d, pipeline source at %,d events/s; max heap %s; database: %s%n", n, batch, rate,
                BenchSupport.mb(Runtime.getRuntime().maxMemory()), db.describe());
        {
            double b1 = baseline(db, "baseline1", n, batch);
            System.out.printf("baseline 1 (raw JDBC, fresh DB): %.2f s = %,.0f events/s%n", b1, n / b1);
            double direct;
            double dupSeconds;
            double[] piped;
            long t0 = System.nanoTime();
            try (EmbeddedJunction junction = db.startJunction()) {
                System.out.printf("Junction booted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                EventStore events = junction.service(EventStore.class);
                EmsStore ems = junction.service(EmsStore.class);
                long directEms = BenchSupport.createSyntheticEms(junction, "events-direct", "/vms=10");
                BenchSupport.gc();
                long start = System.nanoTime();
                long lap = start;
                int tenth = Math.max(batch, n / 10 / batch * batch);
                long fresh = 0;
                for (int from = 1; from <= n; from += batch) {
                    List<EmsEvent> list = new ArrayList<>(batch);
                    int to = Math.min(n, from + batch - 1);
                    for (long k = from; k <= to; k++) {
                        list.add(event(k));
                    }
                    fresh += events.store(directEms, list, Long.toString(to)).size();
                    if (to % tenth == 0 || to == n) {
                        long t = System.nanoTime();
                        System.out.printf("  direct: events %,7d..%,7d stored at %,.0f events/s (%,d already stored before them)%n",
                                to - tenth + 1, to, tenth / ((t - lap) / 1e9), to - tenth);
                        lap = t;
                    }
                }
                direct = (System.nanoTime() - start) / 1e9;
                System.out.printf("EventStore.store direct: %.2f s = %,.0f events/s (%,d new, %,d counted)%n", direct, n / direct, fresh,
                        events.count(directEms));
                List<EmsEvent> again = new ArrayList<>();
                for (long k = n - batch + 1; k <= n; k++) {
                    again.add(event(k));
                }
                start = System.nanoTime();
                int dupFresh = events.store(directEms, again, Long.toString(n)).size();
                dupSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("a batch of %d duplicates stored again: %.1f ms, %d new%n", batch, dupSeconds * 1e3, dupFresh);

                piped = pipeline(junction, events, ems, n, rate, limit);
            }
            double b2 = baseline(db, "baseline2", n, batch);
            System.out.printf("baseline 2 (raw JDBC, fresh DB): %.2f s = %,.0f events/s%n", b2, n / b2);

            double baseRate = n / ((b1 + b2) / 2);
            System.out.println();
            System.out.printf("baseline (raw JDBC, mean of 2): %,.0f events/s%n", baseRate);
            System.out.printf("EventStore.store direct: %,.0f events/s = %.2f× baseline%n", n / direct, n / direct / baseRate);
            System.out.printf("pipeline (synthetic source at %,d/s): %,.0f events/s = %.2f× baseline (%,d events in %.2f s)%n", rate,
                    piped[0], piped[0] / baseRate, (long) piped[1], piped[2]);
            double best = Math.max(n / direct, piped[0]);
            System.out.printf("goal ≥ 20,000 events/s: direct %s, pipeline %s; goal ≥ 0.5× baseline: direct %s, pipeline %s%n",
                    n / direct >= 20_000 ? "MET" : "NOT MET", piped[0] >= 20_000 ? "MET" : "NOT MET",
                    n / direct / baseRate >= 0.5 ? "MET" : "NOT MET", piped[0] / baseRate >= 0.5 ? "MET" : "NOT MET");
        }
    }

    /** @return {events/s, events, seconds} from the first stored event until n are stored (or the time limit) */
    private static double[] pipeline(EmbeddedJunction junction, EventStore events, EmsStore ems, int n, int rate, int limitSeconds) throws Exception {
        BenchSupport.gc();
        long created = System.nanoTime();
        long id = BenchSupport.createSyntheticEms(junction, "events-pipeline", "/vms=10/events=" + rate);
        long first = -1;
        long firstCount = 0;
        long count = 0;
        long now = created;
        long deadline = created + limitSeconds * 1_000_000_000L;
        long lapTime = 0;
        long lapCount = 0;
        while (count < n && now < deadline) {
            // Not too often: each count reads the EMS's events index (up to N rows) on this 2-core machine.
            Thread.sleep(250);
            count = events.count(id);
            now = System.nanoTime();
            if (first >= 0 && now - lapTime >= 5_000_000_000L) {
                System.out.printf("  pipeline: %,d stored, %,.0f events/s over the last %.1f s%n", count, (count - lapCount) / ((now - lapTime) / 1e9),
                        (now - lapTime) / 1e9);
                lapTime = now;
                lapCount = count;
            }
            if (first < 0 && count > 0) {
                first = now;
                firstCount = count;
                lapTime = now;
                lapCount = count;
                System.out.printf("pipeline: first %,d events stored %.2f s after the EMS was created%n", count, (now - created) / 1e9);
            }
        }
        // Stop the source before anything else is measured.
        ems.connections(id).forEach(c -> ems.removeConnection(c.id()));
        if (first < 0) {
            System.out.println("pipeline: no event stored within " + limitSeconds + " s");
            return new double[] {0, 0, 0};
        }
        double s = (now - first) / 1e9;
        long stored = count - firstCount;
        System.out.printf("pipeline: %,d events stored in %.2f s after the first batch = %,.0f events/s%n", stored, s, stored / s);
        return new double[] {stored / s, stored, s};
    }

    /** The synthetic provider's event number k. */
    static EmsEvent event(long k) {
        String vm = String.format("vm-%07d", k % 1000);
        return new EmsEvent("synthetic", "evt-" + k, k % 5 == 0 ? "vm.power_off" : "vm.alert", k % 7 == 0 ? "warning" : "info",
                Instant.ofEpochMilli(1_700_000_000_000L + k), vm, "synthetic event " + k, Map.of("n", Long.toString(k)));
    }

    /** Inserts events 1..n with one batched insert and one transaction per batch; returns seconds. */
    private static double baseline(BenchSupport.BenchDatabase db, String name, int n, int batch) throws Exception {
        Connection c = db.freshBaseline(name);
        try {
            BenchSupport.gc();
            long start = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO JN_EVENT (EMS_ID, SOURCE, PROVIDER_EVENT_ID, EVENT_TYPE,"
                    + " SEVERITY, OCCURRED_AT, SUBJECT_REF, MESSAGE, ATTRIBUTES, RECEIVED_AT) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int from = 1; from <= n; from += batch) {
                    int to = Math.min(n, from + batch - 1);
                    Timestamp now = Timestamp.from(Instant.now());
                    for (long k = from; k <= to; k++) {
                        EmsEvent e = event(k);
                        insert.setString(1, e.source());
                        insert.setString(2, e.providerEventId());
                        insert.setString(3, e.type());
                        insert.setString(4, e.severity());
                        insert.setTimestamp(5, Timestamp.from(e.occurredAt()));
                        insert.setString(6, e.subjectRef());
                        insert.setString(7, e.message());
                        insert.setString(8, "n=" + k + "\n");
                        insert.setTimestamp(9, now);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                }
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            db.dropBaseline(c, name);
        }
    }
}
