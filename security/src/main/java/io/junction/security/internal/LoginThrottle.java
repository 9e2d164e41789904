package io.junction.security.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Slows down password guessing: after a failed login from an address, the answer to that address is
 * delayed, doubling with each further failure (up to a ceiling), until a login from it succeeds or it
 * stays quiet for {@link #FORGET_AFTER}.
 */
final class LoginThrottle {
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final long MAX_DELAY_MILLIS = 16_000;

    private record Failures(int count, long lastNanos) {
    }

    private final ConcurrentMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final long baseDelayMillis;

    LoginThrottle(long baseDelayMillis) {
        this.baseDelayMillis = baseDelayMillis;
    }

    /** Records a failure from the source and returns how long to delay the answer, and how many failures it has had. */
    long[] failed(String source) {
        long now = System.nanoTime();
        Failures f = failures.compute(source, (k, old) ->
                old == null || now - old.lastNanos > FORGET_AFTER.toNanos() ? new Failures(1, now) : new Failures(old.count + 1, now));
        int shift = Math.min(f.count - 1, 20);
        long delay = Math.min(baseDelayMillis << shift, Math.max(baseDelayMillis, MAX_DELAY_MILLIS));
        return new long[] {delay, f.count};
    }

    void succeeded(String source) {
        failures.remove(source);
    }
}
