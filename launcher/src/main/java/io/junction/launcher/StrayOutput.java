package io.junction.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where {@code System.out} points while Junction runs without its console: lines that bundles
 * print there go to {@code data/log/junction.log}. Standard output carries only command output
 * (the launcher keeps the real stream for that); yet some bundles print to {@code System.out}
 * when no Log service is there, as EventAdmin does when it stops after the Log service with
 * events still in flight ({@code WARNING: EventAdmin: Event Task Processing Interrupted…}).
 *
 * <p>Each line is appended on its own (the file opened for appending, as logback has it), so
 * lines never interleave with logback's and a rolled-over log is followed.
 */
final class StrayOutput extends OutputStream {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Path log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    StrayOutput(Path log) {
        this.log = log;
    }

    /** Points {@code System.out} at the log of the Junction at {@code home}. */
    static void install(Path home) {
        System.setOut(new PrintStream(new StrayOutput(home.resolve("data/log/junction.log")), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
            return;
        }
        // The shape of etc/logback.xml's pattern, so that the line reads like the ones around it.
        String entry = TIME.format(OffsetDateTime.now()) + " INFO  [" + Thread.currentThread().getName() + "] System.out - "
                + text + System.lineSeparator();
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Nowhere better to say it: standard output is for command output only.
        }
    }
}
