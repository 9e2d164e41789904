package io.junction.simulators.winrm;

import java.time.Instant;
import java.util.UUID;

/** Seeded values for generated inventories: the same seed, kind and index always give the same value. */
final class Deterministic {
    private Deterministic() {
    }

    static long mix(long seed, String kind, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + kind.hashCode() * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A version-4-shaped UUID. */
    static UUID uuid(long seed, String kind, long index) {
        long high = mix(seed, kind, index);
        long low = mix(seed ^ 0x5DEECE66DL, kind, index);
        high = (high & ~0xF000L) | 0x4000L;
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    static int pick(long seed, String kind, long index, int bound) {
        return (int) Math.floorMod(mix(seed, kind, index), (long) bound);
    }

    /** How Windows PowerShell 5.1's ConvertTo-Json writes a DateTime (the writer escapes the slashes). */
    static String jsonDate(Instant t) {
        return "/Date(" + t.toEpochMilli() + ")/";
    }
}
