package io.junction.itests;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A PostgreSQL server for the tests of this JVM: real PostgreSQL 14 binaries from Maven Central,
 * started once on a free loopback port, stopped through its handle when the JVM ends. Used only
 * outside the framework (from Pax Exam configuration methods), so the probe never loads it.
 */
final class TestPostgres {
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** Writes the home's etc/io.junction.database.cfg naming a new database on the server, with the URL's extra parameters. */
    static synchronized void configure(Path home, String urlParameters) {
        String database = home.getFileName().toString().replaceAll("[^a-z0-9]", "_");
        createDatabase(database);
        writeConfiguration(home, "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?" + urlParameters, USER, PASSWORD);
    }

    static final String USER = "junction";
    static final String PASSWORD = "junction-pass";

    /** The server's port, the server started if it was not yet. */
    static synchronized int port() {
        try {
            if (server == null) {
                Path dir = JunctionDistribution.work().resolve("postgresql");
                Path tmp = Files.createDirectories(dir.resolve("tmp"));
                // Passwords checked as a production server would (SCRAM); only the test's own
                // administration, as postgres, is trusted.
                Path hba = dir.resolve("pg_hba.conf");
                Files.writeString(hba, "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
                server = EmbeddedPostgres.builder()
                        .setServerConfig("hba_file", hba.toString())
                        .setOverrideWorkingDirectory(tmp.toFile())
                        .setDataDirectory(dir.resolve("data"))
                        .setCleanDataDirectory(true)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is ending either way
                    }
                }));
                sql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            return server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database owned by Junction's account (dropped first if it exists). */
    static synchronized void createDatabase(String database) {
        port();
        sql("DROP DATABASE IF EXISTS " + database);
        sql("CREATE DATABASE " + database + " OWNER " + USER);
    }

    private static void sql(String statement) {
        try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot prepare the test database (" + statement + "): " + e.getMessage(), e);
        }
    }

    /** The home's etc/io.junction.database.cfg, owner-only as Junction requires of a file with a password. */
    static void writeConfiguration(Path home, String url, String user, String password) {
        try {
            Path file = home.resolve("etc/io.junction.database.cfg");
            Files.writeString(file, "url=" + url + "\nuser=" + user + "\n.password=" + password + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
