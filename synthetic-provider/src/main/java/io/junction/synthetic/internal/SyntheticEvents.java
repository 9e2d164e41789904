package io.junction.synthetic.internal;

import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic event source: {@code rate} events per second in batches every 100 ms, until it is
 * closed or the sink refuses a batch. Each batch is one task on the platform's scheduler, which
 * schedules the next: no thread is held between batches. The rate is kept by the clock: when the
 * sink takes longer than a tick to store a batch, the next batch carries what is owed (at most one
 * second's worth, older arrears are dropped), as a backlog arrives from a real server. Event n has
 * id {@code evt-n} and the cursor after it is {@code n}, so a subscription resumes exactly after
 * the last stored event. Its beginning and end are logged (the integration tests follow them).
 */
final class SyntheticEvents implements EventSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticEvents.class);
    private static final long TICK_NANOS = 100_000_000L;

    private final int rate;
    private final long after;
    private final EventSink sink;
    private final TaskScheduler scheduler;
    private final String name;
    private long next;
    private long began;
    private long tick;
    private long emitted;
    /** Guarded by this: whether it ended (closed or refused), and the tick waiting to run. */
    private boolean ended;
    private TaskScheduler.Scheduled pending;

    /**
     * @param rate  events per second, at least 1
     * @param after the cursor: the number of the last event already delivered (0: none)
     * @param name  what the log calls the source (its EMS)
     */
    SyntheticEvents(int rate, long after, EventSink sink, TaskScheduler scheduler, String name) {
        this.rate = rate;
        this.after = after;
        this.sink = sink;
        this.scheduler = scheduler;
        this.name = name;
    }

    /** Begins: the first batch a tick from now. */
    SyntheticEvents start() {
        next = after + 1;
        began = System.nanoTime();
        tick = began + TICK_NANOS;
        LOG.info("Synthetic events of '{}' begin after event {}", name, after);
        schedule(Duration.ofNanos(TICK_NANOS));
        return this;
    }

    private synchronized void schedule(Duration delay) {
        if (!ended) {
            pending = scheduler.schedule(this::tick, delay);
        }
    }

    /** One batch: what fell due since the last, then the next tick. */
    private void tick() {
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        int n = (int) Math.min(due() - emitted, rate);
        if (n > 0) {
            List<EmsEvent> batch = new ArrayList<>(n);
            for (int k = 0; k < n; k++, next++) {
                batch.add(event(next));
            }
            try {
                sink.deliver(batch, Long.toString(next - 1));
            } catch (RuntimeException e) {
                end("the sink refused a batch: " + e.getMessage());
                return;
            }
            emitted = Math.max(emitted + n, due() - rate);
        }
        tick += TICK_NANOS;
        long wait = tick - System.nanoTime();
        if (wait <= 0) {
            tick = System.nanoTime(); // behind: the next tick is now
            wait = 0;
        }
        schedule(Duration.ofNanos(wait));
    }

    private void end(String why) {
        TaskScheduler.Scheduled p;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            p = pending;
        }
        if (p != null) {
            p.cancel();
        }
        LOG.info("Synthetic events of '{}' end: {}", name, why);
    }

    @Override
    public void close() {
        end("closed");
    }

    @Override
    public synchronized boolean active() {
        return !ended;
    }

    /** Events due since the source began. */
    private long due() {
        return (System.nanoTime() - began) / 1_000_000L * rate / 1000;
    }

    static EmsEvent event(long n) {
        String vm = "vm-" + SyntheticInventory.seven(n % 1000);
        return new EmsEvent("synthetic", "evt-" + n, n % 5 == 0 ? "vm.power_off" : "vm.alert", n % 7 == 0 ? "warning" : "info",
                Instant.ofEpochMilli(1_700_000_000_000L + n), vm, "synthetic event " + n, Map.of("n", Long.toString(n)));
    }
}
