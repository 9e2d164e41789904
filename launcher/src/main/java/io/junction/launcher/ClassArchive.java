package io.junction.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import javax.management.ObjectName;

/**
 * The application class-data-sharing archive in {@code data/}: the classes a {@code -c} run loads
 * (JDK, launcher, Felix, and the bundles' own classes), stored by the JVM so that the next start
 * maps them instead of parsing and verifying them again.
 *
 * <p>bin/junction chooses the JVM options: with an archive present it starts the JVM on it
 * ({@code -XX:SharedArchiveFile}); without one, a {@code -c} run starts with
 * {@code -XX:+RecordDynamicDumpInfo} and sets {@link #RECORD}, and this class writes the archive
 * once the commands have run and the framework has stopped. The JVM itself checks an archive's
 * class path and JVM and each archived bundle class's size and checksum, and silently skips what
 * does not match; the stamp next to the archive (JVM, class path, {@code lib/} and {@code system/}
 * jars, the archive's size) lets the launcher drop an archive that no longer fits, so that the next
 * {@code -c} run makes a new one.
 *
 * <p>Never fails a run: an archive that cannot be checked, written or removed is simply not used.
 */
final class ClassArchive {

    /** Set by bin/junction: the archive's path (data/junction.jsa). */
    static final String FILE = "junction.cds.archive";
    /** Set by bin/junction to "true" when this JVM records what it loads (-XX:+RecordDynamicDumpInfo). */
    static final String RECORD = "junction.cds.record";

    private final Path home;
    private final Path archive;
    private final Path stamp;

    ClassArchive(Path home, Path archive) {
        this.home = home;
        this.archive = archive;
        this.stamp = archive.resolveSibling(archive.getFileName() + ".stamp");
    }

    /** The archive bin/junction named, or null when started without one (e.g. not by bin/junction). */
    static ClassArchive of(Path home) {
        String file = System.getProperty(FILE);
        return file == null || file.isBlank() ? null : new ClassArchive(home, Path.of(file).toAbsolutePath());
    }

    /**
     * Removes the archive and its stamp when they were made for other jars or another JVM. Called
     * with the instance lock held, so no other Junction is writing them.
     */
    void dropIfStale() {
        try {
            // Left by a recording run killed while the JVM wrote it (only the lock holder records).
            try (DirectoryStream<Path> strays = Files.newDirectoryStream(archive.getParent(), archive.getFileName() + ".*.tmp")) {
                for (Path stray : strays) {
                    Files.deleteIfExists(stray);
                }
            } catch (NoSuchFileException noDataYet) {
                return;
            }
            if (!Files.exists(archive) && !Files.exists(stamp)) {
                return;
            }
            String expected = Files.exists(archive) ? currentStamp() + sizeLine(Files.size(archive)) : null;
            String found;
            try {
                found = Files.readString(stamp, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                found = null;
            }
            if (expected == null || !expected.equals(found)) {
                // The running JVM may have mapped it: unlinking is fine, the mapping stays valid.
                Files.deleteIfExists(archive);
                Files.deleteIfExists(stamp);
            }
        } catch (IOException | RuntimeException e) {
            // Not being able to check costs only speed; the JVM validates the archive itself.
        }
    }

    /**
     * Writes the archive if this JVM was started to record one: into a temporary file, owner-only,
     * then renamed into place after its stamp, so that a reader sees a complete archive or none.
     */
    void recordIfAsked() {
        if (!Boolean.getBoolean(RECORD)) {
            return;
        }
        Path temporary = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        if (temporary.toString().contains("\"")) {
            return; // the diagnostic command takes the file name in double quotes
        }
        try {
            String content = currentStamp();
            // jcmd's VM.cds dynamic_dump, from inside the process: the JVM writes the classes
            // loaded so far, which after a -c run includes starting and stopping the framework.
            // The JDK announces the dump on System.out, which in a -c run carries only command output.
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                        new Object[] {new String[] {"dynamic_dump", "\"" + temporary + "\""}},
                        new String[] {String[].class.getName()});
            } finally {
                System.setOut(out);
            }
            if (!Files.isRegularFile(temporary) || Files.size(temporary) == 0) {
                return;
            }
            ownerOnly(temporary);
            content += sizeLine(Files.size(temporary));
            Path stampTemporary = stamp.resolveSibling(stamp.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(stampTemporary, content, StandardCharsets.UTF_8);
            ownerOnly(stampTemporary);
            move(stampTemporary, stamp);
            move(temporary, archive);
        } catch (Exception e) {
            // E.g. the JVM could not dump (no base archive after all): the next run simply starts without one.
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // a stray temporary file is harmless and replaced by the next recording
            }
        }
    }

    /** What the archive depends on: the JVM, the class path, and the jars of lib/ and system/ (bundles). */
    String currentStamp() throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("java.home=").append(System.getProperty("java.home")).append('\n');
        text.append("java.vm.version=").append(System.getProperty("java.vm.version")).append('\n');
        // The JVM accepts an archive only on the class path it was made with: a moved home needs a new one.
        text.append("java.class.path=").append(System.getProperty("java.class.path")).append('\n');
        for (String dir : new String[] {"lib", "system"}) {
            for (Path jar : Main.systemJars(home.resolve(dir))) {
                BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                text.append(dir).append('/').append(jar.getFileName()).append(' ').append(attributes.size()).append(' ')
                        .append(attributes.lastModifiedTime().toMillis()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * The archive's size, last in the stamp: bin/junction uses the archive only if its size is
     * this one, since the JVM would crash (SIGBUS) on a truncated archive instead of skipping it.
     */
    static String sizeLine(long size) {
        return "archive " + size + "\n";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // no POSIX permissions to set on this file system
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
