package io.junction.api.service;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's scheduler for a provider's background work, such as its event subscriptions: a
 * bounded pool of threads shared by every EMS, so that what a node costs does not grow by a
 * thread per subscription. A handle gets it from its {@link ServiceContext#scheduler()}.
 * <p>
 * The contract is poll-style: a task does one short piece of work and returns — one poll of a
 * server with the connection's timeouts, one batch handed to an {@link EventSink} (which returns
 * once the batch is stored) — and never waits for something to happen: no sleeping, no waiting on
 * a queue or a lock held elsewhere, no reading from a socket without a timeout. A task that must
 * run again schedules itself again, which also keeps the tasks of one subscription one at a time.
 * A long wait holds one of few threads and delays every other EMS's work.
 *
 * @since 1.4
 */
@ProviderType
public interface TaskScheduler {
    /**
     * Runs the task once, after the delay ({@link Duration#ZERO}: as soon as a thread is free).
     * An exception thrown by the task is logged by the platform and ends only that run.
     *
     * @return cancels the task if it has not begun; a run already going on is not interrupted
     */
    Scheduled schedule(Runnable task, Duration delay);

    /** A task handed to the scheduler. */
    @FunctionalInterface
    interface Scheduled {
        /** Cancels the task if it has not begun; a run going on is not interrupted and ends on its own. */
        void cancel();
    }

    /**
     * A scheduler that runs each task on a short-lived thread of its own: what a handle gets when
     * no platform scheduler was given to its context (a provider's own tests, a tool outside Junction).
     */
    static TaskScheduler threadPerTask() {
        return (task, delay) -> {
            Objects.requireNonNull(task, "task");
            long nanos = Math.max(0, Objects.requireNonNull(delay, "delay").toNanos());
            // 0: waiting, 1: running (not to be interrupted), 2: cancelled
            AtomicInteger state = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    if (nanos > 0) {
                        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
                    }
                } catch (InterruptedException cancelled) {
                    return;
                }
                if (state.compareAndSet(0, 1)) {
                    task.run();
                }
            }, "junction-task");
            t.setDaemon(true);
            t.start();
            return () -> {
                if (state.compareAndSet(0, 2)) {
                    t.interrupt();
                }
            };
        };
    }
}
