package io.junction.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive lock on {@code <home>/data/.lock}: one Junction per home directory, since Derby, the
 * framework cache and the configuration store cannot be shared. The operating system releases
 * the lock when the process ends, however it ends.
 */
final class InstanceLock {

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Returns the lock, or null when another process holds it. */
    static InstanceLock tryAcquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel channel = FileChannel.open(dataDir.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        return new InstanceLock(channel, lock);
    }

    /**
     * The embedded Derby database under {@code dataDir} that another process has booted, or null.
     * Derby holds an exclusive lock on {@code dbex.lck} in its database directory while booted;
     * when it is taken, the database is in use elsewhere (also by a Junction whose
     * {@code data/.lock} was removed), and Derby here would refuse to boot it. Probing the lock
     * takes it for a moment only, before Derby boots in this process.
     */
    static Path databaseInUse(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return null;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                Path derbyLock = dir.resolve("dbex.lck");
                if (!Files.isRegularFile(derbyLock)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(derbyLock, StandardOpenOption.WRITE)) {
                    FileLock probe = channel.tryLock();
                    if (probe == null) {
                        return dir;
                    }
                    probe.release();
                } catch (OverlappingFileLockException e) {
                    return dir;
                }
            }
        }
        return null;
    }
}
