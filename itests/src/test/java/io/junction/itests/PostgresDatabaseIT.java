package io.junction.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code bin/junction} as a process on a PostgreSQL server (see {@link TestPostgres}): a database
 * that cannot be opened is said in one line, and Junction becomes ready once it can be.
 */
public class PostgresDatabaseIT {
    private static Path home;

    @BeforeClass
    public static void install() throws IOException {
        home = JunctionDistribution.work().resolve("postgres-process").resolve("junction");
        JunctionDistribution.deleteTree(home.getParent());
        JunctionDistribution.copyTree(JunctionDistribution.dist(), home);
        home.resolve("bin/junction").toFile().setExecutable(true);
        config = Files.readString(home.resolve("etc/config.properties"));
    }

    private static String config;

    /** How long bin/junction waits to become ready: the failures below show within seconds, not the default minute. */
    private static void readyTimeout(int seconds) throws IOException {
        Files.writeString(home.resolve("etc/config.properties"), config + "\njunction.ready.timeout=" + seconds + "\n");
    }

    @Test
    public void anUnreachableServerIsSaidInOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TestPostgres.writeConfiguration(home, "jdbc:postgresql://127.0.0.1:" + closed + "/junction", "junction", "never-shown-42");
        readyTimeout(15);
        JunctionDistribution.Run run = JunctionDistribution.junction(home, "ems:list");
        assertEquals(run.err(), 2, run.status());
        assertEquals(run.err(), 1, run.err().strip().lines().count());
        assertTrue(run.err(), run.err().contains("cannot open the Junction database at jdbc:postgresql://127.0.0.1:" + closed
                + "/junction: the server is unreachable"));
        assertTrue(run.err(), !run.err().contains("never-shown-42"));
    }

    @Test
    public void aRefusedLoginIsSaidInOneLine() throws Exception {
        TestPostgres.createDatabase("refused");
        TestPostgres.writeConfiguration(home, "jdbc:postgresql://127.0.0.1:" + TestPostgres.port() + "/refused", TestPostgres.USER, "wrong-pass-42");
        readyTimeout(15);
        JunctionDistribution.Run run = JunctionDistribution.junction(home, "ems:list");
        assertEquals(run.err(), 2, run.status());
        assertEquals(run.err(), 1, run.err().strip().lines().count());
        assertTrue(run.err(), run.err().contains("the server refused the login of user junction"));
        assertTrue(run.err(), !run.err().contains("wrong-pass-42"));
    }

    @Test
    public void junctionBecomesReadyWhenTheDatabaseComesAndKeepsWhatItStored() throws Exception {
        String database = "comes_later";
        TestPostgres.createDatabase(database);
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestPostgres.port() + "/postgres",
                TestPostgres.USER, TestPostgres.PASSWORD); var s = c.createStatement()) {
            s.execute("DROP DATABASE " + database);
        }
        TestPostgres.writeConfiguration(home, "jdbc:postgresql://127.0.0.1:" + TestPostgres.port() + "/" + database,
                TestPostgres.USER, TestPostgres.PASSWORD);
        readyTimeout(60);
        // the database appears while Junction waits for it
        CompletableFuture<Void> later = CompletableFuture.runAsync(() -> TestPostgres.createDatabase(database),
                CompletableFuture.delayedExecutor(4, TimeUnit.SECONDS));
        JunctionDistribution.Run first = JunctionDistribution.junction(home, "ems:add microsoft pg1; ems:list");
        later.join();
        assertEquals(first.err(), 0, first.status());
        JunctionDistribution.Run again = JunctionDistribution.junction(home, "ems:list");
        assertEquals(again.err(), 0, again.status());
        assertTrue(again.out(), again.out().contains("pg1"));
    }
}
