package io.junction.shell.internal;

import io.junction.api.CredentialKind;
import io.junction.api.InvalidInputException;
import io.junction.api.Secret;
import io.junction.api.ShownText;
import java.io.Console;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Gets a secret from a file or from the operator's console without echo. Secrets never come
 * from the command line, where they would land in the shell history and the process list.
 */
final class SecretReader {
    /** Session variable under which the Gogo console keeps its JLine terminal. */
    private static final String TERMINAL = ".terminal";

    private SecretReader() {
    }

    /** The most a secret file may hold: a password, a token or a key pair in PEM fits many times over. */
    static final int MAX_SECRET_FILE_BYTES = 64 * 1024;

    /**
     * The secret from the file, or from the console when no file is given.
     *
     * @param secretFile the file, or empty to read the console
     */
    static Secret read(CommandSession session, Optional<String> secretFile, CredentialKind kind) {
        return secretFile.isEmpty() ? fromConsole(session) : fromFile(Path.of(secretFile.get()), kind);
    }

    /**
     * The secret held in a regular file of at most {@link #MAX_SECRET_FILE_BYTES}, UTF-8. For a
     * password or a token, line breaks at the end are not part of it.
     */
    static Secret fromFile(Path file, CredentialKind kind) {
        byte[] bytes = null;
        char[] chars = null;
        try {
            bytes = SmallFile.read("secret file", file, MAX_SECRET_FILE_BYTES);
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            int end = decoded.limit();
            boolean oneLine = kind == CredentialKind.PASSWORD || kind == CredentialKind.TOKEN;
            // A password or token file usually ends with a line break that is not part of the secret.
            while (oneLine && end > 0 && (decoded.get(end - 1) == '\n' || decoded.get(end - 1) == '\r')) {
                end--;
            }
            chars = Arrays.copyOf(decoded.array(), end);
            Arrays.fill(decoded.array(), '\0');
            if (chars.length == 0) {
                throw new InvalidInputException("missing secret: secret file " + ShownText.quote(file) + " is empty");
            }
            return Secret.of(chars);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("secret file " + ShownText.quote(file) + " is not UTF-8 text");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    private static Secret fromConsole(CommandSession session) {
        Object terminal = session == null ? null : session.get(TERMINAL);
        char[] chars = null;
        try {
            if (terminal instanceof Terminal t) {
                LineReader reader = LineReaderBuilder.builder().terminal(t).build();
                // NULL_MASK: nothing is echoed, not even stars.
                String line = reader.readLine("Secret (not echoed): ", org.jline.reader.impl.LineReaderImpl.NULL_MASK);
                chars = line.toCharArray();
            } else {
                Console console = System.console();
                if (console == null) {
                    throw new InvalidInputException("missing secret: no console to read it from; use --secret-file <file>");
                }
                chars = console.readPassword("Secret (not echoed): ");
            }
            if (chars == null || chars.length == 0) {
                throw new InvalidInputException("missing secret: nothing was entered");
            }
            return Secret.of(chars);
        } catch (UserInterruptException | EndOfFileException e) {
            throw new InvalidInputException("missing secret: input was cancelled");
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }
}
