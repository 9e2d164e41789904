package io.junction.api;

import java.util.Objects;

/**
 * A credential to store: its kind, the user (principal) it authenticates as, and its secret.
 * Printing it never shows the secret.
 *
 * @param kind   what the secret is
 * @param user   user name, key name, or subject; may be empty for a bare token
 * @param secret the secret itself
 */
public record CredentialSpec(CredentialKind kind, String user, Secret secret) {
    /** Longest user name accepted. */
    public static final int MAX_USER_LENGTH = 256;

    public CredentialSpec {
        Objects.requireNonNull(kind, "kind");
        if (secret == null) {
            throw new InvalidInputException("missing secret");
        }
        user = user == null ? "" : user.strip();
        if (user.length() > MAX_USER_LENGTH || user.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("user must be at most " + MAX_USER_LENGTH
                    + " characters without control characters");
        }
        if (user.isEmpty() && kind == CredentialKind.PASSWORD) {
            throw new InvalidInputException("a password credential needs --user");
        }
    }
}
