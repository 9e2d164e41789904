package io.junction.api;

import java.util.Arrays;

/**
 * A secret (password, token, private key) on its way into or out of the store. It never shows
 * itself: {@link #toString()} is masked, equality is identity, and {@link #close()} wipes it.
 * Read it with {@link #reveal()}, which hands out a copy the caller should wipe after use.
 */
public final class Secret implements AutoCloseable {
    /** What every secret prints as. */
    public static final String MASK = "********";

    private final char[] value;
    private volatile boolean wiped;

    private Secret(char[] value) {
        this.value = value;
    }

    /** A secret holding a copy of the characters; the caller may wipe its own array. */
    public static Secret of(char[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidInputException("secret must not be empty");
        }
        return new Secret(value.clone());
    }

    /** A copy of the secret's characters. */
    public char[] reveal() {
        if (wiped) {
            throw new IllegalStateException("secret was already wiped");
        }
        return value.clone();
    }

    /** Number of characters, which is safe to show. */
    public int length() {
        return value.length;
    }

    @Override
    public void close() {
        Arrays.fill(value, '\0');
        wiped = true;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
