package io.junction.model.internal;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit FNV-1a hash over an item's stored fields: equal hashes mean an unchanged row, so a
 * refresh rewrites only what changed.
 */
final class ContentHash {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private long hash = OFFSET;

    ContentHash add(Object value) {
        String text = value == null ? "\u0000" : value.toString();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        // Field separator, so that ("ab", "c") and ("a", "bc") differ.
        hash ^= 0x1f;
        hash *= PRIME;
        return this;
    }

    long value() {
        return hash;
    }
}
