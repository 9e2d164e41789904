package io.junction.api.security;

import io.junction.api.Secret;
import java.util.List;

/**
 * The users of the access policy, kept with salted slow password hashes (never the passwords) and
 * optional authorized public keys. Every change is all or nothing; bad input is an
 * {@link io.junction.api.InvalidInputException} with one line, unknown users a
 * {@link io.junction.api.NotFoundException}.
 */
public interface Users {

    /** One user as it may be shown: no hash, keys by type and fingerprint only. */
    record User(String name, Role role, boolean hasPassword, List<String> keys) {
        public User {
            keys = List.copyOf(keys);
        }
    }

    /** Adds a user; the password may be null for a key-only user. */
    User add(String name, Role role, Secret password);

    User setPassword(String name, Secret password);

    /** Authorizes a public key (OpenSSH {@code authorized_keys} line) for the user. */
    User addKey(String name, String publicKey);

    /** Removes the authorized keys whose fingerprint, comment or whole text matches. */
    User removeKey(String name, String key);

    User setRole(String name, Role role);

    void remove(String name);

    List<User> list();
}
