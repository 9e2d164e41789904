package io.junction.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProblemsTest {
    @Test
    void detailsAreOneLine() {
        assertEquals("bad value x forged", Problems.oneLine("bad value x\r\nforged"));
        assertEquals("a b", Problems.oneLine("a\u2028b"));
        assertEquals("", Problems.oneLine(null));
    }

    @Test
    void titlesAreTheStatusPhrases() {
        assertEquals("Unauthorized", Problems.title(401));
        assertEquals("Content Too Large", Problems.title(413));
        assertEquals("Service Unavailable", Problems.title(503));
    }
}
