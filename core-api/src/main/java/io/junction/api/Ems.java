package io.junction.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One managed environment as the user sees it (one System Center, one OpenStack cloud),
 * however many servers it is reached through.
 *
 * @param id      store-assigned identifier
 * @param name    unique, operator-chosen name
 * @param type    the {@link ProviderType#id() provider type} id, e.g. {@code microsoft}
 * @param created when it was added
 */
public record Ems(long id, String name, String type, Instant created) {
    public Ems {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
    }

    /** Longest EMS name accepted. */
    public static final int MAX_NAME_LENGTH = 64;

    /**
     * Checks an EMS name: 1 to 64 characters, no control or format characters (a listing must
     * show what the name is, see {@link ShownText}), no leading or trailing blanks, and not only
     * digits (so that an id and a name can never be confused).
     *
     * @return the name
     * @throws InvalidInputException naming what is wrong
     */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("EMS name must not be empty");
        }
        ShownText.requireVisible("EMS name", name);
        if (!name.strip().equals(name)) {
            throw new InvalidInputException("EMS name must not start or end with blanks: " + ShownText.quote(name));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("EMS name is longer than " + MAX_NAME_LENGTH + " characters: " + ShownText.quote(name));
        }
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException("EMS name must not be only digits (digits name an EMS by id): " + ShownText.quote(name));
        }
        return name;
    }
}
