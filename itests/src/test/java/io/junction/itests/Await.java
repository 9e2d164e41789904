package io.junction.itests;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Waiting in tests for something the platform does asynchronously (a bundle binding, an event
 * arriving). The bound is a hang guard, never a speed assertion.
 */
final class Await {
    private Await() {
    }

    /**
     * Samples until the condition holds, for at most {@code patience}; fails with the last sample
     * (described) or the last error taking it.
     */
    static <T> T until(String what, Duration patience, Callable<T> sample, Predicate<? super T> done,
                       Function<Object, String> describe) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        T last = null;
        Exception error = null;
        while (true) {
            try {
                last = sample.call();
                error = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                error = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError("gave up after " + patience.toSeconds() + " s waiting for " + what
                        + (error != null ? "; last error: " + error : "; last seen:\n" + describe.apply(last)));
                if (error != null) {
                    failure.initCause(error);
                }
                throw failure;
            }
            Thread.sleep(100);
        }
    }
}
