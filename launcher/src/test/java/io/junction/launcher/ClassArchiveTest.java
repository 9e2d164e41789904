package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the launcher keeps data/junction.jsa and when it drops it (the JVM dump itself is in DistributionIT). */
class ClassArchiveTest {

    @TempDir
    Path home;
    private Path archive;
    private Path stamp;
    private ClassArchive classArchive;

    @BeforeEach
    void aHomeWithAnArchiveMadeForItsJars() throws IOException {
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("system"));
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("lib/launcher.jar"), "launcher");
        Files.writeString(home.resolve("system/core.jar"), "core");
        archive = home.resolve("data/junction.jsa");
        stamp = home.resolve("data/junction.jsa.stamp");
        classArchive = new ClassArchive(home, archive);
        Files.writeString(archive, "archived classes");
        Files.writeString(stamp, classArchive.currentStamp() + ClassArchive.sizeLine(Files.size(archive)));
    }

    @Test
    void keepsAnArchiveThatFitsAndRemovesTemporariesOfKilledRecordings() throws IOException {
        Path stray = home.resolve("data/junction.jsa.4242.tmp");
        Files.writeString(stray, "half an archive");
        classArchive.dropIfStale();
        assertTrue(Files.exists(archive));
        assertTrue(Files.exists(stamp));
        assertFalse(Files.exists(stray));
    }

    @Test
    void dropsTheArchiveWhenABundleChanges() throws IOException {
        Files.writeString(home.resolve("system/core.jar"), "core, version 2");
        classArchive.dropIfStale();
        assertFalse(Files.exists(archive));
        assertFalse(Files.exists(stamp));
    }

    @Test
    void dropsTheArchiveWhenABundleIsAdded() throws IOException {
        Files.writeString(home.resolve("system/extra.jar"), "extra");
        classArchive.dropIfStale();
        assertFalse(Files.exists(archive));
    }

    @Test
    void dropsAnArchiveOfAnotherSizeThanItsStampSays() throws IOException {
        Files.writeString(archive, "archived");
        classArchive.dropIfStale();
        assertFalse(Files.exists(archive));
        assertFalse(Files.exists(stamp));
    }

    @Test
    void dropsAnArchiveWithoutAStamp() throws IOException {
        Files.delete(stamp);
        classArchive.dropIfStale();
        assertFalse(Files.exists(archive));
    }
}
