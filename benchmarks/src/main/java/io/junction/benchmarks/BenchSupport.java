package io.junction.benchmarks;

import io.junction.api.ConnectionSpec;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.Secret;
import io.junction.api.store.EmsStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;

/** What the refresh and event benchmarks share: the synthetic provider, baseline databases, heap peaks. */
final class BenchSupport {
    private BenchSupport() {
    }

    static Path syntheticProviderJar() {
        return Path.of(System.getProperty("junction.syntheticprovider", "benchmarks/target/bundles/synthetic-provider.jar"))
                .toAbsolutePath().normalize();
    }

    /** Boots Junction with the test provider and installs and starts the synthetic provider too. */
    static EmbeddedJunction startWithSynthetic() throws Exception {
        EmbeddedJunction junction;
        try (InputStream in = Files.newInputStream(EmbeddedJunction.testProviderJar())) {
            junction = EmbeddedJunction.start(in);
        }
        try (InputStream in = Files.newInputStream(syntheticProviderJar())) {
            Bundle b = junction.context().installBundle(syntheticProviderJar().toUri().toString(), in);
            b.start();
        }
        return junction;
    }

    /** Creates a synthetic EMS whose sim connection has the given shape path, with a password credential. */
    static long createSyntheticEms(EmbeddedJunction junction, String name, String shape) throws InterruptedException {
        EmsStore store = junction.service(EmsStore.class);
        long deadline = System.nanoTime() + 60_000_000_000L;
        Ems ems = null;
        while (ems == null) {
            try {
                ems = store.createEms("synthetic", name);
            } catch (JunctionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        io.junction.api.Connection c = store.addConnection(ems.id(),
                new ConnectionSpec("sim", name + ".synthetic.test", null, null, shape, true, null, false, false));
        try (Secret secret = Secret.of("bench-secret".toCharArray())) {
            store.setCredential(ems.id(), c.id(), new CredentialSpec(CredentialKind.PASSWORD, "u", secret));
        }
        return ems.id();
    }

    /** Junction's schema (v1 then v2) from the ems-model jar of the distribution, statements split at lines holding only ';'. */
    static List<String> schemaStatements() throws IOException {
        Path modelJar;
        try (var files = Files.list(EmbeddedJunction.dist().resolve("system"))) {
            modelJar = files.filter(p -> p.getFileName().toString().startsWith("ems-model-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no ems-model jar in the distribution"));
        }
        List<String> statements = new ArrayList<>();
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(modelJar.toFile())) {
            for (String v : List.of("schema-v1.sql", "schema-v2.sql")) {
                String text;
                try (InputStream in = jar.getInputStream(jar.getEntry("io/junction/model/internal/" + v))) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                StringBuilder current = new StringBuilder();
                for (String line : text.split("\n")) {
                    if (line.strip().equals(";")) {
                        if (!current.toString().isBlank()) {
                            statements.add(current.toString());
                        }
                        current.setLength(0);
                    } else if (!line.strip().startsWith("--")) {
                        current.append(line).append('\n');
                    }
                }
            }
        }
        return statements;
    }

    /** A fresh embedded Derby database (the Derby jar on this JVM's class path) with Junction's schema and one EMS row, id 1. */
    static Connection freshBaselineDatabase(Path dir) throws Exception {
        Class.forName("org.apache.derby.jdbc.EmbeddedDriver");
        Connection c = DriverManager.getConnection("jdbc:derby:" + dir.toAbsolutePath() + ";create=true");
        try (Statement s = c.createStatement()) {
            for (String sql : schemaStatements()) {
                s.execute(sql);
            }
            s.execute("INSERT INTO JN_EMS (ID, NAME, EMS_TYPE, CREATED) VALUES (1, 'baseline', 'synthetic', CURRENT_TIMESTAMP)");
        }
        return c;
    }

    static void shutdownBaseline(Connection c, Path dir) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            DriverManager.getConnection("jdbc:derby:" + dir.toAbsolutePath() + ";shutdown=true").close();
        } catch (SQLException expected) {
            // Derby reports a database shut down as SQLState 08006
        }
    }

    /** The 64-bit FNV-1a content hash Junction stores with each inventory row (same formula). */
    static final class ContentHash {
        private long hash = 0xcbf29ce484222325L;

        ContentHash add(Object value) {
            String text = value == null ? "\u0000" : value.toString();
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x100000001b3L;
            }
            hash ^= 0x1f;
            hash *= 0x100000001b3L;
            return this;
        }

        long value() {
            return hash;
        }
    }

    /**
     * Heap used during a phase: a thread sampling MemoryMXBean every 5 ms, and the peaks of the
     * heap pools (reset at the start; their sum over-states, the pools peak at different moments).
     */
    static final class HeapPeak implements AutoCloseable {
        private final AtomicLong sampled = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        HeapPeak() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
            var memory = ManagementFactory.getMemoryMXBean();
            sampler = new Thread(() -> {
                while (running) {
                    sampled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long sampledMax() {
            return sampled.get();
        }

        /** Peak used of the old generation (G1 Old Gen / Tenured), or -1. */
        long oldGenPeak() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                    return pool.getPeakUsage().getUsed();
                }
            }
            return -1;
        }

        /** Highest old-generation occupancy right after a collection (live data), or -1. */
        long oldGenAfterGc() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))
                        && pool.getCollectionUsage() != null) {
                    return pool.getCollectionUsage().getUsed();
                }
            }
            return -1;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.interrupt();
            sampler.join();
        }
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1048576.0);
    }

    static void gc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
    }
}
