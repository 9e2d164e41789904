package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void anOptionLeftOutIsEmptyAndAGivenOneIsItsValue() {
        assertEquals(Optional.empty(), Options.given("--scheme", Options.ABSENT, "the role's default scheme"));
        assertEquals(Optional.of("http"), Options.given("--scheme", "http", "the role's default scheme"));
    }

    @Test
    void anOptionGivenEmptyIsRefusedRatherThanTakenForTheDefault() {
        assertEquals("--scheme must not be empty; leave it out for the role's default scheme",
                assertThrows(InvalidInputException.class, () -> Options.given("--scheme", "", "the role's default scheme")).getMessage());
        assertThrows(InvalidInputException.class, () -> Options.given("--state", "  ", "every state"));
    }
}
