package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import org.junit.jupiter.api.Test;

class CommandsTest {
    @Test
    void junctionErrorsPassThroughAsTheyAre() {
        InvalidInputException refused = new InvalidInputException("bad value");
        assertSame(refused, assertThrows(InvalidInputException.class, () -> Commands.run("ems:x", () -> {
            throw refused;
        })));
    }

    @Test
    void anUnexpectedFailureIsOneLineWithoutAJavaClassName() {
        JunctionException e = assertThrows(JunctionException.class, () -> Commands.run("ems:x", () -> {
            throw new IllegalStateException("the first line\nthe second");
        }));
        assertEquals("error: ems:x failed unexpectedly: the first line (details in data/log/junction.log)", e.toString());
        JunctionException bare = assertThrows(JunctionException.class, () -> Commands.run("ems:x", () -> {
            throw new NullPointerException();
        }));
        assertEquals("ems:x failed unexpectedly (details in data/log/junction.log)", bare.getMessage());
    }
}
