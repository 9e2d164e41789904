package io.junction.model.internal;

/**
 * A 64-bit FNV-1a hash over the UTF-8 bytes of an item's stored fields: equal hashes mean an
 * unchanged row, so a refresh rewrites only what changed. The bytes are made as the characters
 * are read rather than with {@code getBytes}: a refresh hashes every field of every item, and a
 * byte array per field was a good part of what a refresh without changes costs. The values must
 * stay the same across versions, or the first refresh after an upgrade rewrites every row.
 */
final class ContentHash {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private long hash = OFFSET;

    ContentHash add(Object value) {
        if (value == null) {
            mix(0);
        } else {
            String text = value.toString();
            for (int i = 0, n = text.length(); i < n; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    mix(c);
                } else if (c < 0x800) {
                    mix(0xc0 | c >> 6);
                    mix(0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int p = Character.toCodePoint(c, text.charAt(++i));
                    mix(0xf0 | p >> 18);
                    mix(0x80 | p >> 12 & 0x3f);
                    mix(0x80 | p >> 6 & 0x3f);
                    mix(0x80 | p & 0x3f);
                } else if (Character.isSurrogate(c)) {
                    mix('?'); // as getBytes encodes a lone surrogate
                } else {
                    mix(0xe0 | c >> 12);
                    mix(0x80 | c >> 6 & 0x3f);
                    mix(0x80 | c & 0x3f);
                }
            }
        }
        // Field separator, so that ("ab", "c") and ("a", "bc") differ.
        mix(0x1f);
        return this;
    }

    private void mix(int b) {
        hash ^= b & 0xff;
        hash *= PRIME;
    }

    long value() {
        return hash;
    }
}
