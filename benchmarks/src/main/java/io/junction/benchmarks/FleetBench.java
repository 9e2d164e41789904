package io.junction.benchmarks;

import io.junction.api.store.EventStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What a node's background work costs as the number of EMSs grows, in one JVM run: Junction
 * booted from the distribution's bundles plus the synthetic provider, N synthetic EMSs each with
 * V VMs emitting R events/s and refreshed every I s (a periodic refresh configuration per EMS in
 * {@code etc/}, as an operator would write it). After a warm-up (the first refresh of every EMS
 * falls in it), a measuring window reports:
 * <ul>
 * <li>live threads of the JVM (the benchmark adds its main thread) and resident memory
 * ({@code VmRSS}), sampled every 5 s: highest and last;</li>
 * <li>events stored per second: the events counted for all EMSs at the window's start and end;</li>
 * <li>periodic refreshes: those completed in the window against N × window / I, and how many
 * began on schedule — at most I + 5 s after the previous one of the same EMS ended (read from
 * the log's "Periodic refresh … started" and "Refreshed EMS …" lines);</li>
 * <li>"Database busy" warnings logged during the whole run.</li>
 * </ul>
 * Args: {@code [EMSs N (200)] [VMs V (500)] [events/s R (5)] [interval I s (30)] [warm-up s (90)] [window s (120)]
 * [directory to keep the logs in]}; with the last, Derby also writes the lock table to its log when a lock wait times out.
 */
public final class FleetBench {
    private static final Pattern LINE = Pattern.compile("^(\\S+) (\\S+)\\s+\\[[^]]*] \\S+ - (.*)$");
    private static final Pattern STARTED = Pattern.compile("Periodic refresh of EMS '([^']+)' started");
    private static final Pattern REFRESHED = Pattern.compile("Refreshed EMS '([^']+)': .*");
    /** A refresh begins on schedule at most this long after its interval has passed. */
    private static final long SLACK_MILLIS = 5_000;

    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int interval = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 90;
        int window = args.length > 5 ? Integer.parseInt(args[5]) : 120;
        Path keepLogs = args.length > 6 ? Path.of(args[6]) : null;
        if (keepLogs != null) {
            // Who held the lock a "Database busy" waited for: Derby's lock table at each timeout, in derby.log.
            System.setProperty("derby.locks.deadlockTrace", "true");
            System.setProperty("derby.locks.monitor", "true");
        }
        System.out.printf("%,d synthetic EMSs of %,d VMs, %d events/s each, refreshed every %d s; warm-up %d s, window %d s; max heap %s%n",
                n, vms, rate, interval, warmup, window, BenchSupport.mb(Runtime.getRuntime().maxMemory()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        try (EmbeddedJunction junction = BenchSupport.startWithSynthetic()) {
            System.out.printf("Junction booted in %.1f s: %d threads, %s resident%n", (System.nanoTime() - t0) / 1e9,
                    threads.getThreadCount(), BenchSupport.mb(residentBytes()));
            EventStore events = junction.service(EventStore.class);
            long[] ids = new long[n];
            long created = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String name = String.format("fleet-%04d", i);
                ids[i] = BenchSupport.createSyntheticEms(junction, name, "/vms=" + vms + "/events=" + rate);
                Files.writeString(junction.home().resolve("etc/io.junction.refresh-" + name + ".cfg"),
                        "ems=" + name + "\nintervalSeconds=" + interval + "\n");
            }
            System.out.printf("%,d EMSs created and their refreshes configured in %.1f s%n", n, (System.nanoTime() - created) / 1e9);
            sample(junction, "warm-up", warmup, threads);

            long windowStart = System.currentTimeMillis();
            long storedBefore = stored(events, ids);
            long countedAt = System.nanoTime();
            long[] peaks = sample(junction, "window", window, threads);
            long storedAfter = stored(events, ids);
            double seconds = (System.nanoTime() - countedAt) / 1e9;
            long windowEnd = System.currentTimeMillis();
            int threadsEnd = threads.getThreadCount();
            long rssEnd = residentBytes();

            Refreshes r = refreshes(junction.home().resolve("data/log"), windowStart, windowEnd, interval);
            List<String> busy = logLines(junction.home().resolve("data/log")).stream().filter(l -> l.contains("Database busy")).toList();
            double expected = (double) n * (windowEnd - windowStart) / 1000.0 / interval;
            System.out.println();
            System.out.printf("EMSs: %,d (%,d VMs, %d events/s each, refreshed every %d s), heap max %s%n", n, vms, rate, interval,
                    BenchSupport.mb(Runtime.getRuntime().maxMemory()));
            System.out.printf("threads: %d at most, %d at the end%n", peaks[0], threadsEnd);
            System.out.printf("resident memory: %s at most, %s at the end%n", BenchSupport.mb(peaks[1]), BenchSupport.mb(rssEnd));
            System.out.printf("events stored: %,d in %.1f s = %,.0f events/s (offered %,d/s)%n", storedAfter - storedBefore, seconds,
                    (storedAfter - storedBefore) / seconds, (long) n * rate);
            System.out.printf("periodic refreshes completed in the window: %,d (%.0f expected at one per interval); began on schedule"
                    + " (≤ %d s + %d s after the previous ended): %,d of %,d; latest start %.1f s after due%n",
                    r.completed, expected, interval, SLACK_MILLIS / 1000, r.onSchedule, r.started, r.worstLateMillis / 1000.0);
            System.out.printf("\"Database busy\" warnings in the log: %d%n", busy.size());
            busy.stream().limit(5).forEach(l -> System.out.println("  " + l));
            if (keepLogs != null) {
                Files.createDirectories(keepLogs);
                try (var logs = Files.list(junction.home().resolve("data/log"))) {
                    for (Path p : logs.toList()) {
                        Files.copy(p, keepLogs.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                System.out.println("logs kept in " + keepLogs);
            }
        }
        System.exit(0);
    }

    /** Sleeps through a phase, printing threads and resident memory every 5 s; returns {highest threads, highest RSS}. */
    private static long[] sample(EmbeddedJunction junction, String phase, int seconds, ThreadMXBean threads)
            throws InterruptedException, IOException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long maxThreads = 0;
        long maxRss = 0;
        long lap = System.nanoTime();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            int t = threads.getThreadCount();
            long rss = residentBytes();
            maxThreads = Math.max(maxThreads, t);
            maxRss = Math.max(maxRss, rss);
            if (System.nanoTime() - lap >= 5_000_000_000L) {
                lap = System.nanoTime();
                System.out.printf("  %s: %d threads, %s resident, heap used %s%n", phase, t, BenchSupport.mb(rss),
                        BenchSupport.mb(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
            }
        }
        return new long[] {maxThreads, maxRss};
    }

    private static long stored(EventStore events, long[] ids) {
        long total = 0;
        for (long id : ids) {
            total += events.count(id);
        }
        return total;
    }

    /** This process's resident set ({@code VmRSS} of /proc/self/status), in bytes. */
    static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private record Refreshes(long completed, long started, long onSchedule, long worstLateMillis) {
    }

    /**
     * Completed refreshes in the window, and for each start in it whether it came at most the
     * interval plus {@link #SLACK_MILLIS} after the same EMS's previous refresh ended.
     */
    private static Refreshes refreshes(Path logDir, long from, long to, int interval) throws IOException {
        Map<String, Long> lastEnd = new HashMap<>();
        long completed = 0;
        long started = 0;
        long onSchedule = 0;
        long worst = 0;
        for (String line : logLines(logDir)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long at;
            try {
                at = OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
            } catch (RuntimeException notATime) {
                continue;
            }
            String msg = m.group(3);
            Matcher s = STARTED.matcher(msg);
            Matcher e = REFRESHED.matcher(msg);
            if (e.matches()) {
                lastEnd.put(e.group(1), at);
                if (at >= from && at <= to) {
                    completed++;
                }
            } else if (s.find() && at >= from && at <= to) {
                Long previous = lastEnd.get(s.group(1));
                if (previous != null) {
                    started++;
                    long late = at - previous - interval * 1000L;
                    worst = Math.max(worst, late);
                    if (late <= SLACK_MILLIS) {
                        onSchedule++;
                    }
                }
            }
        }
        return new Refreshes(completed, started, onSchedule, worst);
    }

    /** The lines of junction.log and the parts rolled over from it, oldest first. */
    private static List<String> logLines(Path logDir) throws IOException {
        TreeMap<String, Path> rolled = new TreeMap<>();
        try (var files = Files.list(logDir)) {
            files.filter(p -> p.getFileName().toString().matches("junction\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz"))
                    .forEach(p -> rolled.put(rollKey(p.getFileName().toString()), p));
        }
        List<String> lines = new ArrayList<>();
        for (Path p : rolled.values()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p));
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            }
        }
        Path current = logDir.resolve("junction.log");
        if (Files.exists(current)) {
            lines.addAll(Files.readAllLines(current, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** Sorts junction.DATE.I.log.gz by date, then by the index as a number. */
    private static String rollKey(String name) {
        String[] parts = name.split("\\.");
        return parts[1] + String.format("%06d", Integer.parseInt(parts[2]));
    }
}
