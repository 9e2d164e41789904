package io.junction.shell.internal;

import io.junction.api.InvalidInputException;
import java.util.Optional;

/**
 * Options whose absence means "the default". Gogo hands a command an option's
 * {@code absentValue} when the option is not given, so with {@code absentValue = ""} an option
 * given as {@code ""} would silently mean the default too ({@code --scheme ""} would store https,
 * {@code --role ""} would make an EMS-level credential). Such options declare
 * {@code absentValue = Options.ABSENT}, a value nobody types, and are read through {@link #given}.
 */
final class Options {
    /** The {@code absentValue} of an option that may be left out: a NUL cannot be typed. */
    static final String ABSENT = "\u0000absent";

    private Options() {
    }

    /**
     * The option's value, or empty when the option was left out.
     *
     * @param option     the option as typed, e.g. {@code --scheme}, for the error line
     * @param value      what Gogo bound to the option
     * @param whenAbsent what leaving the option out means, e.g. {@code the role's default}
     * @throws InvalidInputException when the option was given an empty or blank value
     */
    static Optional<String> given(String option, String value, String whenAbsent) {
        if (ABSENT.equals(value)) {
            return Optional.empty();
        }
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(option + " must not be empty; leave it out for " + whenAbsent);
        }
        return Optional.of(value);
    }
}
