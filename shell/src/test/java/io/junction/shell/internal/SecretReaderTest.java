package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.junction.api.CredentialKind;
import io.junction.api.InvalidInputException;
import io.junction.api.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SecretReaderTest {
    @TempDir
    Path dir;

    private static String refusal(Path file) {
        return assertThrows(InvalidInputException.class, () -> SecretReader.fromFile(file, CredentialKind.PASSWORD)).getMessage();
    }

    @Test
    void readsAPasswordWithoutItsLineBreak() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "Secret-1\r\n");
        try (Secret s = SecretReader.fromFile(file, CredentialKind.PASSWORD)) {
            assertEquals("Secret-1", new String(s.reveal()));
        }
    }

    @Test
    void readsUpToTheBoundAndNoMore() throws Exception {
        Path atBound = Files.write(dir.resolve("at"), "k".repeat(SecretReader.MAX_SECRET_FILE_BYTES).getBytes(StandardCharsets.UTF_8));
        try (Secret s = SecretReader.fromFile(atBound, CredentialKind.KEY_PAIR)) {
            assertEquals(64 * 1024, s.length());
        }
        Path over = Files.write(dir.resolve("over"), new byte[SecretReader.MAX_SECRET_FILE_BYTES + 1]);
        assertEquals("secret file '" + over + "' is larger than 64 KiB", refusal(over));
    }

    /** A device never ends: reading it whole ran the heap out and ended the process. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesDevices() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertEquals("secret file '/dev/zero' is not a regular file (a FIFO, device or socket)", refusal(Path.of("/dev/zero")));
    }

    /** Opening a FIFO waits for a writer: the type is checked before the file is opened. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesAFifoWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (java.io.IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not installed");
            return;
        }
        assertEquals(0, mkfifo.waitFor());
        assertEquals("secret file '" + fifo + "' is not a regular file (a FIFO, device or socket)", refusal(fifo));
    }

    @Test
    void refusesADirectoryAndAMissingFile() {
        assertEquals("secret file '" + dir + "' is a directory", refusal(dir));
        assertEquals("secret file not found: '" + dir.resolve("nosuch") + "'", refusal(dir.resolve("nosuch")));
    }

    @Test
    void refusesAnEmptyFileAndOneThatIsNotUtf8() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertTrue(refusal(empty).startsWith("missing secret: secret file"));
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'p', (byte) 0xE9});
        assertEquals("secret file '" + latin1 + "' is not UTF-8 text", refusal(latin1));
    }
}
