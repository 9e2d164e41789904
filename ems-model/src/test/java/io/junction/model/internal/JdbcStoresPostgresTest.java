package io.junction.model.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC stores on a real PostgreSQL server, started for this class on loopback and stopped after it. */
class JdbcStoresPostgresTest extends JdbcStoresContract {
    @TempDir
    static Path dir;
    private EmbeddedPostgres server;

    @Override
    DataSource emptyDatabase() throws Exception {
        server = startPostgres(dir);
        return server.getPostgresDatabase();
    }

    /** A PostgreSQL server of the test's own, on a free loopback port, its files under the directory. */
    static EmbeddedPostgres startPostgres(Path dir) throws Exception {
        // the binaries unpack under java.io.tmpdir; keep them out of the shared /tmp
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(tmp.toFile())
                .setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    void lockTimeout(DataSource ds, String seconds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(seconds == null ? "ALTER DATABASE postgres RESET lock_timeout"
                    : "ALTER DATABASE postgres SET lock_timeout = '" + Integer.parseInt(seconds) + "s'");
        }
    }

    @Override
    String lockVmTableAgainstReaders() {
        return "LOCK TABLE JN_VM IN ACCESS EXCLUSIVE MODE";
    }

    @Override
    boolean sharedByNodes() {
        return true;
    }

    @Override
    boolean tableLocksWaitForReaders() {
        return true;
    }
}
