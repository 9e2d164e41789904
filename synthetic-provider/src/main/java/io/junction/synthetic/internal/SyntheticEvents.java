package io.junction.synthetic.internal;

import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic event source: {@code rate} events per second in batches every 100 ms, until its
 * thread is interrupted or the sink refuses a batch. The rate is kept by the clock: when the sink
 * takes longer than a tick to store a batch, the next batch carries what is owed (at most one
 * second's worth, older arrears are dropped), as a backlog arrives from a real server. Event n has
 * id {@code evt-n} and the cursor after it is {@code n}, so a subscription resumes exactly after
 * the last stored event.
 */
final class SyntheticEvents implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticEvents.class);
    private static final long TICK_NANOS = 100_000_000L;

    private final int rate;
    private final long after;
    private final EventSink sink;

    /**
     * @param rate  events per second, at least 1
     * @param after the cursor: the number of the last event already delivered (0: none)
     */
    SyntheticEvents(int rate, long after, EventSink sink) {
        this.rate = rate;
        this.after = after;
        this.sink = sink;
    }

    @Override
    public void run() {
        long next = after + 1;
        long began = System.nanoTime();
        long tick = began;
        long emitted = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                tick += TICK_NANOS;
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                } else {
                    tick = System.nanoTime(); // behind: the next tick is a tick from now
                }
                int n = (int) Math.min(due(began) - emitted, rate);
                if (n <= 0) {
                    continue;
                }
                List<EmsEvent> batch = new ArrayList<>(n);
                for (int k = 0; k < n; k++, next++) {
                    batch.add(event(next));
                }
                sink.deliver(batch, Long.toString(next - 1));
                emitted = Math.max(emitted + n, due(began) - rate);
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Synthetic events stopped: {}", e.toString());
        }
    }

    /** Events due since the source began. */
    private long due(long began) {
        return (System.nanoTime() - began) / 1_000_000L * rate / 1000;
    }

    static EmsEvent event(long n) {
        String vm = "vm-" + SyntheticInventory.seven(n % 1000);
        return new EmsEvent("synthetic", "evt-" + n, n % 5 == 0 ? "vm.power_off" : "vm.alert", n % 7 == 0 ? "warning" : "info",
                Instant.ofEpochMilli(1_700_000_000_000L + n), vm, "synthetic event " + n, Map.of("n", Long.toString(n)));
    }
}
