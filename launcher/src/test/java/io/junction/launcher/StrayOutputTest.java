package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrayOutputTest {

    @Test
    void eachLineIsAppendedToTheLogAsAnEntry(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("data/log/junction.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "an entry logback wrote\n");
        try (PrintStream out = new PrintStream(new StrayOutput(log), true, StandardCharsets.UTF_8)) {
            out.println("WARNING: EventAdmin: Event Task Processing Interrupted.");
            out.print("in two ");
            out.print("parts, é\r\n");
            out.println();
            out.print("unterminated");
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals("an entry logback wrote", lines.get(0));
        assertTrue(lines.get(1).matches("\\S+ INFO  \\[[^]]+] System.out - WARNING: EventAdmin: Event Task Processing Interrupted\\."),
                lines.get(1));
        assertTrue(lines.get(2).endsWith(" System.out - in two parts, é"), lines.get(2));
        assertTrue(lines.get(3).endsWith(" System.out - unterminated"), lines.get(3));
    }

    @Test
    void theLogDirectoryIsMadeWhenMissing(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("data/log/junction.log");
        try (PrintStream out = new PrintStream(new StrayOutput(log), true, StandardCharsets.UTF_8)) {
            out.println("early");
        }
        assertTrue(Files.readString(log).endsWith(" System.out - early" + System.lineSeparator()));
    }
}
