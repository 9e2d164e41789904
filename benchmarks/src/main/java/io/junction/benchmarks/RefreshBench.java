package io.junction.benchmarks;

import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Inventory refresh through Junction against raw JDBC, in one JVM run:
 * <ol>
 * <li>baseline: the rows a synthetic EMS of the shape reports (VMs, templates, hosts, clusters,
 * the datastore; same column values and content hashes) inserted with batched prepared
 * statements (1000 a batch, one transaction) into a fresh database with Junction's schema (its
 * migration, from the distribution's ems-model jar): embedded Derby, or with {@code --postgresql} a
 * database on a PostgreSQL server started for the run, where Junction then runs too;</li>
 * <li>Junction booted from the distribution's bundles plus the synthetic provider; EMS
 * {@code steady} (the shape without fractions) refreshed twice: full, then with no changes;</li>
 * <li>EMS {@code churn} (the shape with change/add/remove fractions) refreshed twice: full, then
 * with the fractions changed, added and removed;</li>
 * <li>the baseline once more, into another fresh database, to see how the machine drifted.</li>
 * </ol>
 * Args: {@code [--postgresql] [vms (100000)] [hosts (2000)] [clusters (50)] [change (0.01)] [add (0.005)] [remove (0.005)]}.
 */
public final class RefreshBench {
    private static final int BATCH = 1000;
    private static final String[] STATES = {"ON", "OFF", "SUSPENDED"};
    private static final String[] RAW = {"Running", "PowerOff", "Saved"};
    private static final int TEMPLATES = 4;

    private RefreshBench() {
    }

    public static void main(String[] arguments) throws Exception {
        List<String> rest = new ArrayList<>(List.of(arguments));
        Path scratch = Files.createTempDirectory("junction-refresh-bench");
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
        int vms = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int clusters = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        String change = args.length > 3 ? args[3] : "0.01";
        String add = args.length > 4 ? args[4] : "0.005";
        String remove = args.length > 5 ? args[5] : "0.005";
        String base = "/vms=" + vms + "/hosts=" + hosts + "/clusters=" + clusters;
        String churnShape = base + "/change=" + change + "/add=" + add + "/remove=" + remove;
        long rows = vms + TEMPLATES + hosts + clusters + 1;
        System.out.printf("shape %s: %,d rows (VMs, %d templates, hosts, clusters, 1 datastore); max heap %s; database: %s%n",
                base, rows, TEMPLATES, BenchSupport.mb(Runtime.getRuntime().maxMemory()), db.describe());

        List<String[]> table = new ArrayList<>();
        {
            double baseline1 = baseline(db, "baseline1", vms, hosts, clusters, table, "baseline 1 (raw JDBC, fresh DB)");

            double steadyFull;
            double steadySecond;
            double churnFull;
            double churnSecond;
            long t0 = System.nanoTime();
            try (EmbeddedJunction junction = db.startJunction()) {
                System.out.printf("Junction booted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                RefreshPipeline pipeline = junction.service(RefreshPipeline.class);
                long steady = BenchSupport.createSyntheticEms(junction, "steady", base);
                long churn = BenchSupport.createSyntheticEms(junction, "churn", churnShape);
                steadyFull = refresh(pipeline, steady, "steady: full refresh (empty store)", rows, table);
                steadySecond = refresh(pipeline, steady, "steady: second refresh, no changes", rows, table);
                churnFull = refresh(pipeline, churn, "churn: full refresh (empty for this EMS)", rows, table);
                churnSecond = refresh(pipeline, churn, "churn: second refresh, " + change + " changed, " + add + " added, " + remove + " removed", rows, table);
            }
            double baseline2 = baseline(db, "baseline2", vms, hosts, clusters, table, "baseline 2 (raw JDBC, fresh DB)");

            System.out.println();
            System.out.printf("%-62s %9s %12s %9s %9s %9s  %s%n", "phase", "seconds", "rows/s", "heap max", "old peak", "old @GC", "counts");
            for (String[] r : table) {
                System.out.printf("%-62s %9s %12s %9s %9s %9s  %s%n", (Object[]) r);
            }
            double baselineMean = (baseline1 + baseline2) / 2;
            double full = Math.min(steadyFull, churnFull);
            System.out.println();
            System.out.printf("baseline (raw JDBC): %.2f s and %.2f s, mean %.2f s = %,.0f rows/s%n", baseline1, baseline2, baselineMean, rows / baselineMean);
            System.out.printf("full refresh rows/s ÷ baseline rows/s: steady %.2f×, churn %.2f× (goal ≥ 0.5×) -> %s%n",
                    baselineMean / steadyFull, baselineMean / churnFull, baselineMean / Math.max(steadyFull, churnFull) >= 0.5 ? "MET" : "NOT MET");
            System.out.printf("second refresh, no changes ÷ full (same EMS): %.2f× (goal ≤ 0.2×) -> %s%n",
                    steadySecond / steadyFull, steadySecond / steadyFull <= 0.2 ? "MET" : "NOT MET");
            System.out.printf("second refresh with churn ÷ full (same EMS): %.2f× (goal ≤ 0.25×) -> %s%n",
                    churnSecond / churnFull, churnSecond / churnFull <= 0.25 ? "MET" : "NOT MET");
            System.out.printf("(fastest full refresh %.2f s)%n", full);
        }
    }

    private static double refresh(RefreshPipeline pipeline, long emsId, String label, long rows, List<String[]> table) throws Exception {
        BenchSupport.gc();
        RefreshResult result;
        long start;
        long end;
        try (BenchSupport.HeapPeak heap = new BenchSupport.HeapPeak()) {
            start = System.nanoTime();
            result = pipeline.refresh(emsId, (seen, written) -> { });
            end = System.nanoTime();
            double s = (end - start) / 1e9;
            table.add(new String[] {label, String.format("%.2f", s), String.format("%,.0f", rows / s), BenchSupport.mb(heap.sampledMax()),
                    BenchSupport.mb(heap.oldGenPeak()), BenchSupport.mb(heap.oldGenAfterGc()),
                    result.counts().toString() + " took " + result.took().toMillis() + " ms"});
            System.out.printf("%s: %.2f s %s%n", label, s, result.counts());
            return s;
        }
    }

    /** Inserts the synthetic snapshot-0 rows with batched prepared statements in one transaction; returns seconds. */
    static double baseline(BenchSupport.BenchDatabase db, String database, int vms, int hosts, int clusters, List<String[]> table,
                           String label) throws Exception {
        Connection c = db.freshBaseline(database);
        BenchSupport.gc();
        double s;
        long rows = 0;
        try (BenchSupport.HeapPeak heap = new BenchSupport.HeapPeak()) {
            long start = System.nanoTime();
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement ci = c.prepareStatement("INSERT INTO JN_CLUSTER (EMS_ID, EMS_REF, NAME, CONTENT_HASH, UPDATED) VALUES (1, ?, ?, ?, ?)");
                 PreparedStatement hi = c.prepareStatement("INSERT INTO JN_HOST (EMS_ID, EMS_REF, NAME, CLUSTER_REF, CPU_COUNT, MEMORY_BYTES,"
                         + " POWER_STATE, RAW_STATE, CONTENT_HASH, UPDATED) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement di = c.prepareStatement("INSERT INTO JN_DATASTORE (EMS_ID, EMS_REF, NAME, CAPACITY_BYTES, FREE_BYTES,"
                         + " CONTENT_HASH, UPDATED) VALUES (1, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement vi = c.prepareStatement("INSERT INTO JN_VM (EMS_ID, EMS_REF, NAME, TEMPLATE, HOST_REF, CPU_COUNT, MEMORY_MB,"
                         + " GUEST_OS, IP_ADDRESSES, POWER_STATE, RAW_STATE, CONTENT_HASH, UPDATED) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int pending = 0;
                for (int k = 0; k < clusters; k++) {
                    String name = "Cluster " + k;
                    ci.setString(1, "cluster-" + k);
                    ci.setString(2, name);
                    ci.setLong(3, new BenchSupport.ContentHash().add(name).value());
                    ci.setTimestamp(4, now);
                    ci.addBatch();
                    rows++;
                    if (++pending == BATCH) {
                        ci.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ci.executeBatch();
                    pending = 0;
                }
                for (int h = 0; h < hosts; h++) {
                    String name = "host" + h + ".synthetic.test";
                    String cluster = clusters == 0 ? null : "cluster-" + (h % clusters);
                    int cpu = 32 + (h % 4) * 16;
                    long memory = (128L + (h % 4) * 64) << 30;
                    hi.setString(1, "host-" + h);
                    hi.setString(2, name);
                    nullable(hi, 3, cluster);
                    hi.setInt(4, cpu);
                    hi.setLong(5, memory);
                    hi.setString(6, "ON");
                    hi.setString(7, "Responding");
                    hi.setLong(8, new BenchSupport.ContentHash().add(name).add(cluster).add(cpu).add(memory).add("ON").add("Responding").value());
                    hi.setTimestamp(9, now);
                    hi.addBatch();
                    rows++;
                    if (++pending == BATCH) {
                        hi.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    hi.executeBatch();
                    pending = 0;
                }
                di.setString(1, "ds-0");
                di.setString(2, "Datastore 0");
                di.setLong(3, 10L << 40);
                di.setLong(4, 4L << 40);
                di.setLong(5, new BenchSupport.ContentHash().add("Datastore 0").add(10L << 40).add(4L << 40).value());
                di.setTimestamp(6, now);
                di.addBatch();
                di.executeBatch();
                rows++;
                for (int t = 0; t < TEMPLATES; t++) {
                    vm(vi, "template-" + t, "Template " + t, true, null, 2, 4096, "Linux", null, "OFF", "Stored", now);
                    rows++;
                    pending++;
                }
                for (int i = 0; i < vms; i++) {
                    String host = hosts == 0 ? null : "host-" + (i % hosts);
                    String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
                    int state = i % 3;
                    vm(vi, String.format("vm-%07d", i), String.format("vm%07d", i), false, host, 1 + i % 8, 512L * (1 + i % 16),
                            i % 2 == 0 ? "Windows Server 2022" : "Ubuntu 22.04", ip, STATES[state], RAW[state], now);
                    rows++;
                    if (++pending == BATCH) {
                        vi.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    vi.executeBatch();
                }
            }
            c.commit();
            s = (System.nanoTime() - start) / 1e9;
            table.add(new String[] {label, String.format("%.2f", s), String.format("%,.0f", rows / s), BenchSupport.mb(heap.sampledMax()),
                    BenchSupport.mb(heap.oldGenPeak()), BenchSupport.mb(heap.oldGenAfterGc()), rows + " rows inserted"});
            System.out.printf("%s: %.2f s, %,d rows%n", label, s, rows);
            // The floor of a refresh without changes, in two parts: reading what is stored, and making and hashing the items.
            long readStart = System.nanoTime();
            long read = 0;
            java.util.Map<String, long[]> stored = new java.util.HashMap<>();
            for (String t : List.of("JN_CLUSTER", "JN_HOST", "JN_VM", "JN_DATASTORE")) {
                try (PreparedStatement q = c.prepareStatement("SELECT ID, EMS_REF, CONTENT_HASH FROM " + t + " WHERE EMS_ID = ?")) {
                    q.setLong(1, 1);
                    q.setFetchSize(BATCH);
                    try (var r = q.executeQuery()) {
                        while (r.next()) {
                            stored.put(r.getString(2), new long[] {r.getLong(1), r.getLong(3), 0});
                            read++;
                        }
                    }
                }
            }
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            c.commit();
            table.add(new String[] {"  raw JDBC: read the stored refs and hashes into a map", String.format("%.2f", readSeconds),
                    String.format("%,.0f", read / readSeconds), "", "", "", read + " rows read"});
            long genStart = System.nanoTime();
            long sum = 0;
            for (int i = 0; i < vms; i++) {
                String host = hosts == 0 ? null : "host-" + (i % hosts);
                String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
                int state = i % 3;
                String ref = String.format("vm-%07d", i);
                String name = String.format("vm%07d", i);
                List<String> ips = List.of(ip);
                String os = i % 2 == 0 ? "Windows Server 2022" : "Ubuntu 22.04";
                long hash = new BenchSupport.ContentHash().add(name).add(false).add(host).add(1 + i % 8).add(512L * (1 + i % 16))
                        .add(os).add(String.join(",", ips)).add(STATES[state]).add(RAW[state]).value();
                long[] row = stored.get(ref);
                sum += row != null && row[1] == hash ? 1 : 0;
            }
            double genSeconds = (System.nanoTime() - genStart) / 1e9;
            table.add(new String[] {"  no DB: make the VMs' fields, hash them, look them up", String.format("%.2f", genSeconds),
                    String.format("%,.0f", vms / genSeconds), "", "", "", sum + " of " + vms + " VMs found unchanged"});
        } finally {
            db.dropBaseline(c, database);
        }
        return s;
    }

    private static void vm(PreparedStatement vi, String ref, String name, boolean template, String host, int cpu, long memory,
                           String os, String ips, String state, String raw, Timestamp now) throws Exception {
        vi.setString(1, ref);
        vi.setString(2, name);
        vi.setBoolean(3, template);
        nullable(vi, 4, host);
        vi.setInt(5, cpu);
        vi.setLong(6, memory);
        nullable(vi, 7, os);
        nullable(vi, 8, ips);
        vi.setString(9, state);
        vi.setString(10, raw);
        // Junction hashes the joined address list ("" when empty).
        vi.setLong(11, new BenchSupport.ContentHash().add(name).add(template).add(host).add(cpu).add(memory).add(os)
                .add(ips == null ? "" : ips).add(state).add(raw).value());
        vi.setTimestamp(12, now);
        vi.addBatch();
    }

    private static void nullable(PreparedStatement s, int index, String value) throws Exception {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
