package io.junction.core.internal.events;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.NotFoundException;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityLease;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EmsService;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.store.EmsChangeListener;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.api.store.Fence;
import io.junction.api.store.LeaseLostException;
import io.junction.api.node.EmsOwnership;
import io.junction.core.internal.FrameworkStopping;
import io.junction.core.internal.pools.BackgroundPools;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one event subscription per EMS whose {@code events} capability is bound, from the cursor
 * stored with the last batch. Each batch is stored with its cursor in one transaction
 * (duplicates left out), then posted to EventAdmin as {@code junction/event/<ems-type>/<event-type>}.
 * A subscription is closed when its binding changes (hot swap, connection or credential changed,
 * EMS removed) and opened again from the stored cursor, so nothing is lost or stored twice.
 */
@Component(immediate = true, service = EmsChangeListener.class, configurationPid = EventPipelineConfiguration.PID)
@Designate(ocd = EventPipelineConfiguration.class)
public class EventPipeline implements EmsChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(EventPipeline.class);

    private final EmsStore emsStore;
    private final EventStore eventStore;
    private final CapabilityRouter router;
    /** Which EMSs this node runs the subscriptions of, and the fence each batch is stored under. */
    private final EmsOwnership ownership;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-event-pipeline");
        t.setDaemon(true);
        return t;
    });
    /**
     * Batches are stored (and posted) on the shared storing pool, never on the provider's thread:
     * a provider may interrupt its thread to end a subscription, and Derby closes the connection
     * of an interrupted thread. Batch and cursor are stored together or not at all either way.
     */
    private final ExecutorService storing;
    /**
     * Batches being stored: a stop waits (bounded) for them, so that none is cut off by the
     * database going away (Derby then leaves its transaction open and its shutdown waits).
     */
    private final Set<Future<?>> storingNow = ConcurrentHashMap.newKeySet();
    /** How long a stop waits for the batches being stored. */
    private static final long STOP_WAIT_SECONDS = 10;
    private final ConcurrentMap<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** EMSs whose subscription failed: not tried again before their time, and not warned of twice. */
    private final ConcurrentMap<Long, Retry> retries = new ConcurrentHashMap<>();
    /** Changes told per EMS, so that a subscription made while its EMS changed is not kept. */
    private final ConcurrentMap<Long, java.util.concurrent.atomic.AtomicLong> changes = new ConcurrentHashMap<>();
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    /**
     * Counts the EmsService registrations and unregistrations of each provider type. Part of every
     * binding: a service registered again by the same bundle version (bundle updated from the same
     * jar, stopped and started) looks the same in the router's matrix, yet the handle under the old
     * subscription is gone with the old registration.
     */
    private final ConcurrentMap<String, Long> serviceChanges = new ConcurrentHashMap<>();
    private volatile boolean active;
    private final FrameworkStopping stopping;

    /**
     * Why subscribing to an EMS's events failed last, and when to try again: 5 s after the first
     * failure, twice as long after each further one, at most 5 minutes, so that a server that is
     * down is not asked every few seconds nor the log filled with the same warning.
     */
    record Retry(String reason, long notBeforeNanos, long delayMillis) {
        static final long FIRST_MILLIS = 5_000;
        static final long MOST_MILLIS = 300_000;

        static Retry after(Retry previous, String reason, long nowNanos) {
            long delay = previous == null ? FIRST_MILLIS : Math.min(MOST_MILLIS, previous.delayMillis * 2);
            return new Retry(reason, nowNanos + TimeUnit.MILLISECONDS.toNanos(delay), delay);
        }

        boolean due(long nowNanos) {
            return nowNanos - notBeforeNanos >= 0;
        }
    }

    /**
     * Notes a failure of the EMS's subscription; logs it as a warning when its reason is new and
     * at debug level when it repeats.
     */
    private void failedToSubscribe(Ems ems, String what, String reason) {
        if (!active) {
            // Junction is stopping: what fails now fails because things go away.
            LOG.debug("{} of EMS '{}' failed while stopping: {}", what, ems.name(), reason);
            return;
        }
        Retry previous = retries.get(ems.id());
        Retry next = Retry.after(previous, reason, System.nanoTime());
        retries.put(ems.id(), next);
        if (previous == null || !previous.reason().equals(reason)) {
            LOG.warn("{} of EMS '{}' failed; trying again in {} s, then less often while it fails: {}", what, ems.name(),
                    next.delayMillis() / 1000, reason);
        } else {
            LOG.debug("{} of EMS '{}' failed again; trying again in {} s: {}", what, ems.name(), next.delayMillis() / 1000, reason);
        }
    }

    /** A running subscription and the binding it was made on. */
    private final class Subscription implements EventSink {
        final Ems ems;
        final String binding;
        final Fence fence;
        volatile EventSubscription handle;
        volatile boolean closed;
        /** The connection the subscription was made on. */
        volatile io.junction.api.Connection connection;

        Subscription(Ems ems, String binding, Fence fence) {
            this.ems = ems;
            this.binding = binding;
            this.fence = fence;
        }

        @Override
        public void unreachable(io.junction.api.UnreachableException failure) {
            io.junction.api.Connection c = connection;
            if (!closed && c != null) {
                // Marked down, the connection gives way to a standby of its role: the binding changes, and
                // the reconcile subscribes there from the stored cursor (and back when it answers again).
                router.unreachable(ems.id(), c, failure);
                requestReconcile();
            }
        }

        @Override
        public void deliver(List<EmsEvent> events, String cursorAfter) {
            if (closed) {
                // Not stored, cursor not moved: the next subscription starts before these again.
                throw new IllegalStateException("subscription of EMS '" + ems.name() + "' is closed");
            }
            Future<?> stored = storing.submit(() -> {
                List<EmsEvent> fresh = eventStore.store(fence, events, cursorAfter);
                // Stored: whatever failed before works again.
                retries.remove(ems.id());
                EventAdmin admin = eventAdmin;
                if (admin != null) {
                    for (EmsEvent e : fresh) {
                        admin.postEvent(toEvent(ems, e));
                    }
                }
            });
            storingNow.add(stored);
            try {
                stored.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the events of EMS '" + ems.name() + "' were stored", e);
            } catch (ExecutionException e) {
                RuntimeException failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                failed(failure);
                throw failure;
            } finally {
                storingNow.remove(stored);
            }
        }

        /**
         * Storing a batch failed (the database busy or full): nothing of it was stored and the
         * cursor did not move. Providers differ in what they do with a refused batch (send it
         * again, or stop), so this subscription ends, and a reconcile starts a new one from the
         * stored cursor once its {@link Retry} is due.
         */
        private void failed(RuntimeException failure) {
            if (subscriptions.remove(ems.id(), this)) {
                if (failure instanceof NotFoundException) {
                    LOG.debug("Events of EMS '{}' arrived after it was removed", ems.name());
                } else if (failure instanceof LeaseLostException) {
                    // Another node runs this EMS now and resumes from the stored cursor.
                    LOG.info("Event subscription of EMS '{}' ends: {}", ems.name(), failure.getMessage());
                } else {
                    // The subscription starts again from the stored cursor.
                    failedToSubscribe(ems, "Storing the events", String.valueOf(failure.getMessage()));
                }
                closed = true;
                // Not on this thread: it is the provider's, inside its delivery.
                try {
                    executor.execute(this::close);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    close();
                }
            }
        }

        void close() {
            closed = true;
            EventSubscription h = handle;
            if (h != null) {
                try {
                    h.close();
                } catch (RuntimeException e) {
                    LOG.debug("Closing the event subscription of EMS '{}'", ems.name(), e);
                }
            }
        }
    }

    @Activate
    public EventPipeline(@Reference EmsStore emsStore, @Reference EventStore eventStore, @Reference CapabilityRouter router,
                         @Reference EmsOwnership ownership, @Reference BackgroundPools pools, EventPipelineConfiguration config,
                         BundleContext context) {
        this.storing = pools.storing();
        this.emsStore = emsStore;
        this.eventStore = eventStore;
        this.router = router;
        this.ownership = ownership;
        active = true;
        executor.scheduleWithFixedDelay(this::reconcileSafely, 0, Math.max(1, config.reconcileIntervalSeconds()), TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(() -> trim(config), 1, Math.max(1, config.trimIntervalMinutes()), TimeUnit.MINUTES);
        stopping = FrameworkStopping.watch(context, this::stopSubscriptions);
    }

    /**
     * Junction is stopping: no more reconciles, and every subscription closes now, its cursor as
     * stored with its last batch, before the providers under them and the store go away.
     */
    private void stopSubscriptions() {
        active = false;
        executor.shutdown();
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
        awaitStoring();
        LOG.debug("Junction is stopping: event subscriptions closed");
    }

    /** Waits (bounded) for the batches being stored to be stored or refused. */
    private void awaitStoring() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        for (Future<?> f : List.copyOf(storingNow)) {
            try {
                f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.CancellationException e) {
                LOG.debug("A batch of events being stored as Junction stops: {}", e.toString());
            }
        }
    }

    @Deactivate
    void deactivate() {
        stopping.close();
        active = false;
        // Not shutdownNow(): interrupting a reconcile mid-query makes Derby close its connection.
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
        awaitStoring();
    }

    /**
     * Services coming and going change what is bound: look again at once, and again a moment
     * later, as the router may hear of the same service after this pipeline.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "serviceChanged")
    void serviceChanged(EmsService service, Map<String, Object> properties) {
        serviceChanges.merge(String.valueOf(properties.get(EmsService.TYPE)), 1L, Long::sum);
        // Another service may well subscribe where the last one failed: try at once.
        retries.clear();
        requestReconcile();
        reconcileShortly();
    }

    @Override
    public void emsChanged(long emsId) {
        // The connection or credential under the subscription may have changed: start it anew.
        changesOf(emsId).incrementAndGet();
        // The operator may have fixed what made the subscription fail: try at once.
        retries.remove(emsId);
        Subscription s = subscriptions.remove(emsId);
        if (s != null) {
            s.close();
        }
        // A moment later, not at once: the router hears of the same change from the store after or
        // before this pipeline, and a subscription must be routed on what it knows after it.
        reconcileShortly();
    }

    /** Reconciles once the router has surely heard of what this pipeline just heard of. */
    private void reconcileShortly() {
        if (active) {
            try {
                executor.schedule(this::reconcileSafely, 250, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivating
            }
        }
    }

    private java.util.concurrent.atomic.AtomicLong changesOf(long emsId) {
        return changes.computeIfAbsent(emsId, id -> new java.util.concurrent.atomic.AtomicLong());
    }

    private void requestReconcile() {
        if (active && reconcileQueued.compareAndSet(false, true)) {
            try {
                executor.execute(this::reconcileSafely);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                reconcileQueued.set(false);
            }
        }
    }

    private void reconcileSafely() {
        reconcileQueued.set(false);
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("Checking event subscriptions failed: {}", e.toString(), e);
        }
    }

    /** Compares the subscriptions with what is bound and opens or closes what differs. */
    void reconcile() {
        if (!active) {
            return;
        }
        Map<Long, Ems> all = new HashMap<>();
        for (Ems ems : emsStore.listEms()) {
            all.put(ems.id(), ems);
        }
        for (Long id : new HashSet<>(subscriptions.keySet())) {
            if (!all.containsKey(id)) {
                close(id, "its EMS was removed");
            }
        }
        retries.keySet().retainAll(all.keySet());
        for (Ems ems : all.values()) {
            Fence fence = ownership.fence(ems.id()).orElse(null);
            String binding = fence == null ? null : binding(ems);
            Subscription current = subscriptions.get(ems.id());
            if (current != null && !Objects.equals(current.fence, fence)) {
                close(ems.id(), fence == null ? "another node runs its background work" : "its lease was taken anew");
                current = null;
            } else if (current != null && !Objects.equals(current.binding, binding)) {
                close(ems.id(), binding == null ? "events are no longer bound" : "the events binding changed");
                current = null;
            } else if (current != null && current.handle != null && !current.handle.active()) {
                // Ended under this pipeline (its handle closed as the EMS's connections changed):
                // nothing was lost, the next one starts from the stored cursor.
                close(ems.id(), "the provider ended it");
                current = null;
            }
            Retry retry = retries.get(ems.id());
            if (current == null && binding != null && active && (retry == null || retry.due(System.nanoTime()))) {
                open(ems, binding, fence);
            }
        }
    }

    /**
     * What the subscription depends on: service, bundle and version, connection, and the service
     * changes of the EMS's type so far; null when events are not bound.
     */
    private String binding(Ems ems) {
        try {
            for (CapabilityBinding b : router.matrix(ems.id())) {
                if (b.capability().equals(EventCapability.NAME)) {
                    boolean usable = b.state().equals(CapabilityBinding.BOUND) || b.state().equals(CapabilityBinding.FAILING);
                    return usable ? b.service() + "@" + b.bundle() + ":" + b.bundleVersion() + "#" + b.connection().id()
                            + "/" + serviceChanges.getOrDefault(ems.type(), 0L) : null;
                }
            }
        } catch (JunctionException e) {
            LOG.debug("No events binding for EMS '{}': {}", ems.name(), e.getMessage());
        }
        return null;
    }

    private void open(Ems ems, String binding, Fence fence) {
        long changesBefore = changesOf(ems.id()).get();
        Subscription s = new Subscription(ems, binding, fence);
        String cursor = eventStore.cursor(ems.id()).orElse(null);
        try (CapabilityLease<EventCapability> lease = router.route(ems.id(), EventCapability.class)) {
            // The lease ends here; the subscription lives on the service's pooled handle, which
            // the router closes when the service or connection goes (and this pipeline notices).
            s.connection = lease.connection();
            s.handle = lease.capability().subscribe(cursor, s);
            subscriptions.put(ems.id(), s);
            if (changesOf(ems.id()).get() != changesBefore) {
                // The EMS changed while this subscription was being made (a reconcile already running
                // routed with what was stored before): it may sit on a closed handle or an old
                // credential, so it goes, and the next reconcile starts a fresh one.
                if (subscriptions.remove(ems.id(), s)) {
                    s.close();
                }
                requestReconcile();
                return;
            }
            LOG.info("Subscribed to the events of EMS '{}' through {} from cursor {}", ems.name(), lease.service(),
                    cursor == null ? "(start)" : cursor);
        } catch (RuntimeException e) {
            s.close();
            failedToSubscribe(ems, "Subscribing to the events", String.valueOf(e.getMessage()));
            if (e instanceof io.junction.api.UnreachableException unreachable) {
                // Its server does not answer, before the subscription could say so (an AMQP client
                // connects as its handle opens): marked down, the connection gives way to a standby of
                // its role at the next try, once the retry above is due.
                io.junction.api.Connection c = s.connection != null ? s.connection : routedConnection(ems);
                if (c != null) {
                    router.unreachable(ems.id(), c, unreachable);
                }
            }
        }
    }

    /** The connection the router would route the EMS's events to now, or null. */
    private io.junction.api.Connection routedConnection(Ems ems) {
        try {
            for (CapabilityBinding b : router.matrix(ems.id())) {
                if (b.capability().equals(EventCapability.NAME)) {
                    return b.connection();
                }
            }
        } catch (JunctionException e) {
            LOG.debug("No events binding for EMS '{}': {}", ems.name(), e.getMessage());
        }
        return null;
    }

    private void close(long emsId, String why) {
        Subscription s = subscriptions.remove(emsId);
        if (s != null) {
            s.close();
            LOG.info("Closed the event subscription of EMS '{}': {}", s.ems.name(), why);
        }
    }

    private void trim(EventPipelineConfiguration config) {
        try {
            long removed = eventStore.trim(Instant.now().minus(config.retentionDays(), ChronoUnit.DAYS), config.retentionCount());
            if (removed > 0) {
                LOG.info("Removed {} events beyond {} days or {} per EMS", removed, config.retentionDays(), config.retentionCount());
            }
        } catch (RuntimeException e) {
            LOG.warn("Trimming events failed: {}", e.getMessage(), e);
        }
    }

    /** EventAdmin topic tokens allow letters, digits, '-' and '_': dots become levels. */
    static String topic(String emsType, String eventType) {
        StringBuilder t = new StringBuilder("junction/event/").append(token(emsType));
        for (String part : eventType.split("[./]")) {
            if (!part.isEmpty()) {
                t.append('/').append(token(part));
            }
        }
        return t.toString();
    }

    private static String token(String s) {
        String cleaned = s.replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }

    private static Event toEvent(Ems ems, EmsEvent e) {
        Map<String, Object> props = new HashMap<>();
        props.put("ems.id", ems.id());
        props.put("ems.name", ems.name());
        props.put("ems.type", ems.type());
        props.put("source", e.source());
        props.put("provider.event.id", e.providerEventId());
        props.put("event.type", e.type());
        props.put("occurred", e.occurredAt().toEpochMilli());
        if (e.severity() != null) {
            props.put("severity", e.severity());
        }
        if (e.subjectRef() != null) {
            props.put("subject.ref", e.subjectRef());
        }
        if (e.message() != null) {
            props.put("message", e.message());
        }
        return new Event(topic(ems.type(), e.type()), props);
    }
}
