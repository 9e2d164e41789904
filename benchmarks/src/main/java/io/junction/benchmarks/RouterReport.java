package io.junction.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link RouterDispatch} with JMH (any JMH command-line options are passed on) and prints a
 * table per number of threads: direct, routed and routedLease in ns/op, as the mean with JMH's
 * 99.9% error and as the median of the measured iterations (which a busy shared machine's
 * outliers move less), the time routing adds per call over direct, and the goal.
 *
 * <p>The table goes to standard output after JMH's own output, and also to the file named by the
 * system property {@code router.table} when it is set.
 */
public final class RouterReport {
    /** What routing may add to one call. */
    static final double GOAL_NS = 1000;
    private static final String[] VARIANTS = {"direct", "routed", "routedLease"};

    private RouterReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            builder.include(RouterDispatch.class.getName().replace(".", "\\.") + "\\.");
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();

        // threads -> variant -> result
        Map<Integer, Map<String, RunResult>> byThreads = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String variant = label.substring(label.lastIndexOf('.') + 1);
            byThreads.computeIfAbsent(r.getParams().getThreads(), t -> new TreeMap<>()).put(variant, r);
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-8s %-12s %24s %10s %22s %14s %8s%n", "threads", "benchmark",
                "mean ± error (ns/op)", "median", "min-max of iterations", "added/call", "ratio"));
        double worstMean = 0;
        double worstMedian = 0;
        boolean compared = false;
        boolean allocation = false;
        for (Map.Entry<Integer, Map<String, RunResult>> e : byThreads.entrySet()) {
            RunResult direct = e.getValue().get("direct");
            for (String variant : VARIANTS) {
                RunResult r = e.getValue().get(variant);
                if (r == null) {
                    continue;
                }
                Result<?> primary = r.getPrimaryResult();
                Statistics s = primary.getStatistics();
                String added = "";
                String ratio = "";
                if (direct != null && r != direct) {
                    Statistics d = direct.getPrimaryResult().getStatistics();
                    double addedMean = primary.getScore() - direct.getPrimaryResult().getScore();
                    double addedMedian = s.getPercentile(50) - d.getPercentile(50);
                    compared = true;
                    worstMean = Math.max(worstMean, addedMean);
                    worstMedian = Math.max(worstMedian, addedMedian);
                    added = String.format(Locale.ROOT, "%+.0f / %+.0f", addedMean, addedMedian);
                    ratio = String.format(Locale.ROOT, "%.1fx", s.getPercentile(50) / d.getPercentile(50));
                }
                table.append(String.format(Locale.ROOT, "%-8d %-12s %13.1f ± %-8s %10.1f %22s %14s %8s%n", e.getKey(),
                        variant, primary.getScore(), error(primary.getScoreError()), s.getPercentile(50),
                        String.format(Locale.ROOT, "%.1f-%.1f", s.getMin(), s.getMax()), added, ratio));
                allocation |= r.getSecondaryResults().containsKey("gc.alloc.rate.norm");
            }
        }
        table.append("added/call: mean / median, ns over direct at the same number of threads; ratio: of the medians\n");
        if (allocation) {
            table.append("allocation per call (gc.alloc.rate.norm, B/op):\n");
            for (Map.Entry<Integer, Map<String, RunResult>> e : byThreads.entrySet()) {
                table.append(String.format(Locale.ROOT, "  %d thread(s):", e.getKey()));
                for (String variant : VARIANTS) {
                    RunResult r = e.getValue().get(variant);
                    Result<?> alloc = r == null ? null : r.getSecondaryResults().get("gc.alloc.rate.norm");
                    if (alloc != null) {
                        table.append(String.format(Locale.ROOT, "  %s %.0f", variant, alloc.getScore()));
                    }
                }
                table.append('\n');
            }
        }
        if (!compared) {
            table.append(String.format(Locale.ROOT, "goal: routing adds at most %.0f ns per call: not judged "
                    + "(this run has no direct baseline next to a routed benchmark)%n", GOAL_NS));
        } else {
            table.append(String.format(Locale.ROOT, "goal: routing adds at most %.0f ns per call: %s (most added: "
                    + "%.0f ns by the means, %.0f ns by the medians)%n", GOAL_NS,
                    worstMean <= GOAL_NS && worstMedian <= GOAL_NS ? "met"
                            : worstMedian <= GOAL_NS ? "met by the medians, not by the means" : "NOT met",
                    worstMean, worstMedian));
        }

        PrintStream out = System.out;
        out.println();
        out.print(table);
        String file = System.getProperty("router.table");
        if (file != null && !file.isBlank()) {
            write(Path.of(file), table.toString());
        }
    }

    /** JMH's error needs at least 3 iterations. */
    private static String error(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "n/a";
    }

    private static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, text);
    }
}
