package io.junction.api;

import java.util.Arrays;
import java.util.Locale;
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

    /**
     * Longest secret accepted, in bytes of UTF-8: what the store keeps encrypted in its
     * 16,384-byte column, with room for the cipher's own bytes. A key pair in PEM fits.
     */
    public static final int MAX_SECRET_BYTES = 16_000;

    public CredentialSpec {
        Objects.requireNonNull(kind, "kind");
        if (secret == null) {
            throw new InvalidInputException("missing secret");
        }
        if (utf8Length(secret) > MAX_SECRET_BYTES) {
            throw new InvalidInputException(String.format(Locale.ROOT, "secret is longer than %,d bytes", MAX_SECRET_BYTES));
        }
        user = user == null ? "" : user.strip();
        // The user is a name that ems:show lists: it must read as what it is.
        ShownText.requireVisible("user", user);
        if (user.length() > MAX_USER_LENGTH) {
            throw new InvalidInputException("user must be at most " + MAX_USER_LENGTH + " characters: " + ShownText.quote(user));
        }
        if (user.isEmpty() && kind == CredentialKind.PASSWORD) {
            throw new InvalidInputException("a password credential needs --user");
        }
    }

    private static long utf8Length(Secret secret) {
        char[] chars = secret.reveal();
        try {
            long bytes = 0;
            for (int i = 0; i < chars.length; i++) {
                char c = chars[i];
                if (c < 0x80) {
                    bytes += 1;
                } else if (c < 0x800) {
                    bytes += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                    bytes += 4;
                    i++;
                } else {
                    bytes += 3;
                }
            }
            return bytes;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
