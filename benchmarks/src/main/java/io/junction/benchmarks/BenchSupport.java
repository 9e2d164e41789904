package io.junction.benchmarks;

import io.junction.api.ConnectionSpec;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.Secret;
import io.junction.api.store.EmsStore;
import io.junction.simulators.postgresql.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.osgi.framework.Bundle;
import org.postgresql.ds.PGSimpleDataSource;

/** What the refresh and event benchmarks share: the synthetic provider, the database and baseline databases, heap peaks. */
final class BenchSupport {
    private BenchSupport() {
    }

    static Path syntheticProviderJar() {
        return Path.of(System.getProperty("junction.syntheticprovider", "benchmarks/target/bundles/synthetic-provider.jar"))
                .toAbsolutePath().normalize();
    }

    /** Boots Junction with the test provider and installs and starts the synthetic provider too. */
    static EmbeddedJunction startWithSynthetic() throws Exception {
        return startWithSynthetic(home -> { });
    }

    /** As {@link #startWithSynthetic()}, the home prepared first. */
    static EmbeddedJunction startWithSynthetic(EmbeddedJunction.HomeSetup setup) throws Exception {
        EmbeddedJunction junction;
        try (InputStream in = Files.newInputStream(EmbeddedJunction.testProviderJar())) {
            junction = EmbeddedJunction.start(in, setup);
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

    /**
     * The database a benchmark runs on, Junction and its raw-JDBC baseline alike: embedded Derby
     * (the distribution's default; the Derby jar on this JVM's class path), or, with
     * {@code --postgresql} among the arguments, a PostgreSQL server started for the run on
     * loopback ({@link PostgresServer}), each baseline and Junction with a database of their own
     * on it, reached over the same loopback socket with the same account, and the server stopped
     * when this closes.
     */
    static final class BenchDatabase implements AutoCloseable {
        static final String POSTGRESQL = "--postgresql";
        private final Path dir;
        private final PostgresServer postgres;

        private BenchDatabase(Path dir, PostgresServer postgres) {
            this.dir = dir;
            this.postgres = postgres;
        }

        /** Takes {@code --postgresql} out of the arguments and starts what it asks for, under the directory. */
        static BenchDatabase start(List<String> args, Path dir) throws IOException {
            boolean server = args.remove(POSTGRESQL);
            return new BenchDatabase(dir, server ? PostgresServer.start(dir.resolve("postgresql")) : null);
        }

        String describe() {
            return postgres == null ? "embedded Derby" : "PostgreSQL on 127.0.0.1:" + postgres.port();
        }

        /** Boots Junction (test and synthetic providers) on this database: for PostgreSQL, a fresh database named by etc/io.junction.database.cfg. */
        EmbeddedJunction startJunction() throws Exception {
            if (postgres == null) {
                return startWithSynthetic(home -> { });
            }
            postgres.createDatabase("junction");
            String url = postgres.url("junction", "");
            EmbeddedJunction junction = startWithSynthetic(home -> PostgresServer.writeConfiguration(home, url,
                    PostgresServer.USER, PostgresServer.PASSWORD));
            // Seen, not assumed: Junction's stores are up, so its migration has run on that database.
            try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement s = c.createStatement(); var r = s.executeQuery("SELECT MAX(VERSION) FROM JN_SCHEMA")) {
                r.next();
                System.out.printf("Junction runs on %s (schema version %d)%n", url, r.getInt(1));
            } catch (SQLException | RuntimeException e) {
                junction.close();
                throw new IllegalStateException("Junction is not on " + url + ": " + e.getMessage(), e);
            }
            return junction;
        }

        /** A fresh database with Junction's schema (as Junction's own migration writes it) and one EMS row, id 1. */
        Connection freshBaseline(String name) throws Exception {
            DataSource ds;
            if (postgres == null) {
                EmbeddedDataSource derby = new EmbeddedDataSource();
                derby.setDatabaseName(dir.resolve(name).toAbsolutePath().toString());
                derby.setCreateDatabase("create");
                ds = derby;
            } else {
                postgres.createDatabase(name);
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setUrl(postgres.url(name, ""));
                pg.setUser(PostgresServer.USER);
                pg.setPassword(PostgresServer.PASSWORD);
                ds = pg;
            }
            migrate(ds);
            Connection c = ds.getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO JN_EMS (ID, NAME, EMS_TYPE, CREATED) VALUES (1, 'baseline', 'synthetic', CURRENT_TIMESTAMP)");
            }
            return c;
        }

        /** Closes a baseline's connection and shuts its database down (Derby) or drops it (PostgreSQL). */
        void dropBaseline(Connection c, String name) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            if (postgres != null) {
                postgres.sql("DROP DATABASE IF EXISTS " + name);
                return;
            }
            try {
                DriverManager.getConnection("jdbc:derby:" + dir.resolve(name).toAbsolutePath() + ";shutdown=true").close();
            } catch (SQLException expected) {
                // Derby reports a database shut down as SQLState 08006
            }
        }

        @Override
        public void close() {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /**
     * Junction's schema migration, from the distribution's ems-model jar, run on the database: the
     * schema scripts and their spelling for the database ({@code Dialect}) stay in one place.
     */
    static void migrate(DataSource ds) throws Exception {
        Path modelJar;
        try (var files = Files.list(EmbeddedJunction.dist().resolve("system"))) {
            modelJar = files.filter(p -> p.getFileName().toString().startsWith("ems-model-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no ems-model jar in the distribution"));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {modelJar.toUri().toURL()}, BenchSupport.class.getClassLoader())) {
            Method migrate = Class.forName("io.junction.model.internal.SchemaMigration", true, loader)
                    .getDeclaredMethod("migrate", DataSource.class);
            migrate.setAccessible(true);
            migrate.invoke(null, ds);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
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
