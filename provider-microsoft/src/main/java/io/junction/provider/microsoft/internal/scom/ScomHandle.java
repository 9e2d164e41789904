package io.junction.provider.microsoft.internal.scom;

import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.ShownText;
import io.junction.api.UnreachableException;
import io.junction.api.service.Capability;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.ServiceHandle;
import io.junction.api.service.TaskScheduler;
import io.junction.provider.microsoft.internal.powershell.JsonItems;
import io.junction.provider.microsoft.internal.powershell.PowerShell;
import io.junction.provider.microsoft.internal.winrm.WinRmClient;
import io.junction.provider.microsoft.internal.winrm.WinRmShell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events of one SCOM management server: alerts polled by their last-modified time. The cursor
 * is the LastModified (ISO-8601) of the last delivered alert change; a poll asks for changes at
 * or after it and leaves out those already delivered at that very instant.
 */
public final class ScomHandle implements ServiceHandle, EventCapability {
    private static final Logger LOG = LoggerFactory.getLogger(ScomHandle.class);

    private final WinRmClient client;
    private final Clock clock;
    private final Supplier<Duration> interval;
    private final IntSupplier batchSize;
    private final TaskScheduler scheduler;
    private final List<Poller> pollers = new CopyOnWriteArrayList<>();

    /** @param scheduler runs the polls: one task per poll, none held between them */
    public ScomHandle(WinRmClient client, Clock clock, Supplier<Duration> interval, IntSupplier batchSize, TaskScheduler scheduler) {
        this.scheduler = scheduler;
        this.client = client;
        this.clock = clock;
        this.interval = interval;
        this.batchSize = batchSize;
    }

    /**
     * Checks that the OperationsManager module loads, the management group answers, and the
     * account may read alerts: asks for the alerts changed from now on.
     */
    @Override
    public void verify() {
        try (WinRmShell shell = client.openShell()) {
            long n = PowerShell.run(shell, ScomScripts.alertsSince(clock.instant()), client.target().operationTimeout(),
                    in -> JsonItems.forEach(in, o -> { }));
            LOG.debug("SCOM at {} answers ({} alerts changed just now)", client.target().address(), n);
        }
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public EventSubscription subscribe(String cursor, EventSink sink) {
        Instant since = parseCursor(cursor);
        Poller poller = new Poller(since == null ? clock.instant() : since, sink);
        pollers.add(poller);
        poller.schedule(Duration.ZERO);
        return poller;
    }

    static Instant parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(cursor.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("SCOM event cursor is not an ISO-8601 instant: " + ShownText.quote(cursor));
        }
    }

    /**
     * One poll: reads the alert changes since the cursor and delivers the new ones in batches,
     * oldest first. Returns the state to poll from next.
     */
    PollState poll(PollState state, Delivery sink) {
        List<EmsEvent> events = new ArrayList<>();
        try (WinRmShell shell = client.openShell()) {
            PowerShell.run(shell, ScomScripts.alertsSince(state.cursor()), client.target().operationTimeout(),
                    in -> JsonItems.forEach(in, o -> {
                        EmsEvent e = ScomMapping.event(o);
                        if (e != null && state.isNew(e)) {
                            events.add(e);
                        }
                    }));
        }
        events.sort(Comparator.comparing(EmsEvent::occurredAt));
        PollState next = state;
        int size = Math.max(1, batchSize.getAsInt());
        for (int from = 0; from < events.size(); from += size) {
            List<EmsEvent> batch = List.copyOf(events.subList(from, Math.min(events.size(), from + size)));
            PollState after = next.after(batch);
            if (!sink.deliver(batch, after.cursor().toString())) {
                break;
            }
            next = after;
        }
        return next;
    }

    /** Hands a batch on; {@code false} when the subscription was closed and nothing was delivered. */
    @FunctionalInterface
    interface Delivery {
        boolean deliver(List<EmsEvent> batch, String cursorAfter);
    }

    /**
     * Where polling stands: the cursor and the events already delivered with exactly that
     * LastModified (a poll asks for {@code >=} the cursor, so they come back once more).
     */
    record PollState(Instant cursor, Set<String> deliveredAtCursor) {
        boolean isNew(EmsEvent e) {
            int c = e.occurredAt().compareTo(cursor);
            return c > 0 || (c == 0 && !deliveredAtCursor.contains(e.providerEventId()));
        }

        PollState after(List<EmsEvent> batch) {
            Instant last = cursor;
            for (EmsEvent e : batch) {
                if (e.occurredAt().isAfter(last)) {
                    last = e.occurredAt();
                }
            }
            Set<String> at = new HashSet<>(last.equals(cursor) ? deliveredAtCursor : Set.of());
            for (EmsEvent e : batch) {
                if (e.occurredAt().equals(last)) {
                    at.add(e.providerEventId());
                }
            }
            return new PollState(last, Set.copyOf(at));
        }
    }

    /**
     * One subscription: a poll is one task on the platform's scheduler (a pull bounded by the
     * connection's operation timeout), and the next is scheduled after the interval, so no thread
     * is held between polls.
     */
    private final class Poller implements EventSubscription {
        private final EventSink sink;
        /** Guarded by this: whether it is open, a poll is going on, and the next one waiting to run. */
        private boolean open = true;
        private boolean polling;
        private TaskScheduler.Scheduled next;
        /** Touched by one poll at a time (each schedules the next). */
        private PollState state;
        private int failures;

        Poller(Instant since, EventSink sink) {
            this.sink = sink;
            this.state = new PollState(since, Set.of());
        }

        private synchronized void schedule(Duration delay) {
            if (open) {
                next = scheduler.schedule(this::pollOnce, delay);
            }
        }

        private void pollOnce() {
            synchronized (this) {
                if (!open) {
                    return;
                }
                polling = true;
            }
            try {
                pollAndNote();
            } finally {
                synchronized (this) {
                    polling = false;
                    notifyAll();
                    if (!open) {
                        pollers.remove(this);
                    }
                }
            }
            schedule(Duration.ofMillis(Math.max(100, interval.get().toMillis())));
        }

        private void pollAndNote() {
            try {
                state = poll(state, this::deliver);
                if (failures > 0) {
                    LOG.info("SCOM alerts from {} are read again", client.target().address());
                }
                failures = 0;
            } catch (JunctionException | IllegalStateException e) {
                if (!isOpen()) {
                    return;
                }
                if (e instanceof UnreachableException unreachable) {
                    // The platform may move the subscription to a standby SCOM server.
                    sink.unreachable(unreachable);
                }
                if (failures++ == 0) {
                    LOG.warn("Reading SCOM alerts from {} failed, retrying every {} s: {}", client.target().address(),
                            interval.get().toSeconds(), e.getMessage());
                } else {
                    LOG.debug("Reading SCOM alerts from {} failed again: {}", client.target().address(), e.toString());
                }
            } catch (RuntimeException e) {
                if (!isOpen()) {
                    return;
                }
                failures++;
                LOG.warn("Reading SCOM alerts from {} failed", client.target().address(), e);
            }
        }

        private synchronized boolean isOpen() {
            return open;
        }

        /** Delivers under the lock {@link #close()} takes, so that nothing is delivered once close returns. */
        private synchronized boolean deliver(List<EmsEvent> batch, String cursorAfter) {
            if (!open) {
                return false;
            }
            sink.deliver(batch, cursorAfter);
            return true;
        }

        /** Stops after the poll in progress, if any; a poll is never cut short, so its shell is always deleted. */
        @Override
        public void close() {
            synchronized (this) {
                open = false;
                if (next != null) {
                    next.cancel();
                }
                notifyAll();
                // A poll going on keeps it among the handle's pollers, so that closing the handle waits for its shell.
                if (!polling) {
                    pollers.remove(this);
                }
            }
        }

        /** Waits (bounded) for a poll in progress to end. */
        void await(Duration bound) {
            long until = System.nanoTime() + bound.toNanos();
            synchronized (this) {
                long left;
                while (polling && (left = until - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Stops the subscriptions, waits (bounded) for a poll in progress to delete its shell, then closes the connections. */
    @Override
    public void close() {
        List<Poller> running = List.copyOf(pollers);
        running.forEach(Poller::close);
        Duration bound = client.target().operationTimeout().plusSeconds(10);
        running.forEach(p -> p.await(bound));
        client.close();
    }
}
