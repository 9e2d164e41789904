package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    @Test
    void aDerbyDatabaseWhoseLockIsHeldIsInUse(@TempDir Path data) throws IOException {
        Path derby = Files.createDirectories(data.resolve("derby"));
        Path lockFile = Files.createFile(derby.resolve("dbex.lck"));
        Files.createDirectories(data.resolve("cache"));
        // Held as a booted Derby holds it (here by this JVM; DistributionIT and LifecycleIT hold it from another process).
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            assertEquals(derby, InstanceLock.databaseInUse(data));
        }
        // Released: free again, and probing leaves it free.
        assertNull(InstanceLock.databaseInUse(data));
        assertNull(InstanceLock.databaseInUse(data));
    }

    @Test
    void noDatabaseIsNotInUse(@TempDir Path dir) throws IOException {
        assertNull(InstanceLock.databaseInUse(dir.resolve("data")));
        assertNull(InstanceLock.databaseInUse(Files.createDirectories(dir.resolve("data/derby"))));
    }
}
