package io.junction.shell.internal;

import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a small file an operator names (a secret, a CA certificate) with a bound on its size.
 * Only regular files are read: a FIFO would block the command while opening it, and a device
 * such as {@code /dev/zero} would never end.
 */
final class SmallFile {
    private SmallFile() {
    }

    /**
     * The file's bytes.
     *
     * @param what     what the file is, e.g. {@code secret file}, for the error line
     * @param maxBytes the most it may hold
     * @throws InvalidInputException when the file is missing, not a regular file, larger than
     *                               {@code maxBytes}, or cannot be read
     */
    static byte[] read(String what, Path file, int maxBytes) {
        String named = what + " " + ShownText.quote(file);
        try {
            // The type is checked before opening: opening a FIFO waits for a writer.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new InvalidInputException(named + " is a directory");
            }
            if (!attributes.isRegularFile()) {
                throw new InvalidInputException(named + " is not a regular file (a FIFO, device or socket)");
            }
            if (attributes.size() > maxBytes) {
                throw new InvalidInputException(named + " is larger than " + size(maxBytes));
            }
            try (InputStream in = Files.newInputStream(file)) {
                // Read one byte past the bound: the file may have grown since its size was read.
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    Arrays.fill(bytes, (byte) 0);
                    throw new InvalidInputException(named + " is larger than " + size(maxBytes));
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + " not found: " + ShownText.quote(file));
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot read " + named + ": permission denied");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + named + ": " + (e.getMessage() == null ? "I/O error" : e.getMessage()));
        }
    }

    private static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
