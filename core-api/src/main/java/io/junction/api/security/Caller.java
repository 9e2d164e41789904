package io.junction.api.security;

import java.util.Objects;

/**
 * Who is calling: a user known to the access policy with their role, and where the call comes from
 * ({@code local} for the console of the process itself; a door and an address such as {@code ssh/127.0.0.1:50122}).
 */
public record Caller(String user, Role role, String origin) {
    /** Origin of the console that runs in the Junction process itself. */
    public static final String LOCAL = "local";

    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(origin, "origin");
    }

    /** Whoever runs the process (or can read {@code etc/}) administers it. */
    public static Caller local(String user) {
        return new Caller(user == null || user.isBlank() ? "local" : user, Role.ADMIN, LOCAL);
    }
}
