package io.junction.api.security;

import io.junction.api.InvalidInputException;
import java.util.Locale;

/**
 * What a caller may do; each role includes the ones before it: {@code viewer} reads, {@code operator}
 * also acts on managed systems (verify, discover, refresh, power), {@code admin} also changes
 * configuration, users and the platform itself.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /**
     * Service property of a Gogo command component naming the role each of its functions needs, one
     * {@code function=role} entry per function (e.g. {@code junction.command.role=list=viewer}).
     * Remote sessions refuse a function that declares none to anyone but an admin.
     */
    public static final String COMMAND_PROPERTY = "junction.command.role";

    /** The role's name as written in files and commands: {@code viewer}, {@code operator}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a caller with this role may do what {@code required} may do. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role of that name; a one-line error naming the valid ones otherwise. */
    public static Role parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.id().equals(n)) {
                return r;
            }
        }
        throw new InvalidInputException("unknown role '" + name + "'; roles: viewer, operator, admin");
    }

    @Override
    public String toString() {
        return id();
    }
}
