package io.junction.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One connection role a provider type knows: what it serves and how it is reached by default.
 *
 * @param role          the role's name, e.g. {@code scvmm}
 * @param required      whether an EMS of this type is incomplete without it
 * @param capabilities  the capabilities served through it, e.g. {@code inventory}, {@code power}
 * @param defaultPort   port used when the operator gives none
 * @param defaultScheme scheme used when the operator gives none
 * @param schemes       schemes the role accepts
 * @param discoveredBy  the role whose catalog discovers this one, or {@code null} when entered by hand
 */
public record RoleSpec(String role, boolean required, Set<String> capabilities, int defaultPort,
                       String defaultScheme, Set<String> schemes, String discoveredBy) {
    public RoleSpec {
        Objects.requireNonNull(role, "role");
        if (!role.equals(role.toLowerCase(Locale.ROOT)) || role.isBlank()) {
            throw new IllegalArgumentException("role names are lower-case: " + role);
        }
        capabilities = Set.copyOf(capabilities);
        schemes = Set.copyOf(schemes);
        if (!schemes.contains(defaultScheme)) {
            throw new IllegalArgumentException("default scheme " + defaultScheme + " is not among " + schemes);
        }
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("default port out of range: " + defaultPort);
        }
    }

    /** Whether connections of this role come from another role's catalog. */
    public boolean discovered() {
        return discoveredBy != null;
    }
}
