package io.junction.itests;

import io.junction.simulators.postgresql.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The PostgreSQL server for the tests of this JVM ({@link PostgresServer}: real PostgreSQL 14
 * binaries from Maven Central), started once on a free loopback port, stopped through its handle
 * when the JVM ends. Used only outside the framework (from Pax Exam configuration methods), so the
 * probe never loads it.
 */
final class TestPostgres {
    static final String USER = PostgresServer.USER;
    static final String PASSWORD = PostgresServer.PASSWORD;
    private static PostgresServer server;

    private TestPostgres() {
    }

    /** Writes the home's etc/io.junction.database.cfg naming a new database on the server, with the URL's extra parameters. */
    static synchronized void configure(Path home, String urlParameters) {
        String database = home.getFileName().toString().replaceAll("[^a-z0-9]", "_");
        createDatabase(database);
        writeConfiguration(home, server().url(database, urlParameters), USER, PASSWORD);
    }

    /** The server's port, the server started if it was not yet. */
    static synchronized int port() {
        return server().port();
    }

    private static synchronized PostgresServer server() {
        if (server == null) {
            try {
                server = PostgresServer.start(JunctionDistribution.work().resolve("postgresql"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** A new, empty database owned by Junction's account (dropped first if it exists). */
    static synchronized void createDatabase(String database) {
        server().createDatabase(database);
    }

    /** The home's etc/io.junction.database.cfg, owner-only as Junction requires of a file with a password. */
    static void writeConfiguration(Path home, String url, String user, String password) {
        PostgresServer.writeConfiguration(home, url, user, password);
    }
}
