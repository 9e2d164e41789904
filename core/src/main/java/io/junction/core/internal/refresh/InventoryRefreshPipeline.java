package io.junction.core.internal.refresh;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventoryRefresh;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import io.junction.api.inventory.RefreshStatus;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.InventoryCapability;
import io.junction.api.store.EmsStore;
import io.junction.api.store.Fence;
import io.junction.api.store.InventoryStore;
import io.junction.api.node.EmsOwnership;
import io.junction.core.internal.FrameworkStopping;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh: router(inventory) → the provider streams a snapshot → the store diffs it against what
 * is stored and writes it in batches, in one transaction → EventAdmin
 * {@code junction/inventory/REFRESHED}. Providers only collect; this is where what they collect
 * becomes the stored inventory.
 */
@Component(service = RefreshPipeline.class)
public class InventoryRefreshPipeline implements RefreshPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryRefreshPipeline.class);
    static final String TOPIC_REFRESHED = "junction/inventory/REFRESHED";
    static final String TOPIC_FAILED = "junction/inventory/REFRESH_FAILED";
    /** Progress is reported at most this often. */
    private static final long PROGRESS_NANOS = 1_000_000_000L;
    private static final String STOPPING = "Junction is stopping";

    private final ConcurrentMap<Long, CompletableFuture<RefreshResult>> running = new ConcurrentHashMap<>();

    @Reference
    private CapabilityRouter router;

    @Reference
    private EmsStore emsStore;

    @Reference
    private InventoryStore inventoryStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    /** On the node holding the EMS's lease, a refresh commits only while the lease holds. */
    @Reference
    private EmsOwnership ownership;

    /**
     * Once Junction is stopping, refreshes still running end at their next item (the previous
     * inventory stays) and new ones are refused: their providers are about to go away.
     */
    private FrameworkStopping stopping;

    @Activate
    void activate(BundleContext context) {
        stopping = FrameworkStopping.watch(context, () -> LOG.debug("Junction is stopping: refreshes end"));
    }

    @Deactivate
    void deactivate() {
        stopping.close();
    }

    @Override
    public RefreshResult refresh(long emsId, Progress progress) {
        if (stopping.stopping()) {
            throw new JunctionException(STOPPING);
        }
        Ems ems = emsStore.findEms(emsId).orElseThrow(() -> new io.junction.api.NotFoundException("no EMS with id " + emsId));
        CompletableFuture<RefreshResult> mine = new CompletableFuture<>();
        CompletableFuture<RefreshResult> other = running.putIfAbsent(emsId, mine);
        if (other != null) {
            progress.joined();
            try {
                RefreshResult r = other.join();
                return new RefreshResult(r.counts(), r.took(), true);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            RefreshResult result = run(ems, progress);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(emsId, mine);
        }
    }

    private RefreshResult run(Ems ems, Progress progress) {
        long start = System.nanoTime();
        boolean[] joined = {false};
        try {
            RefreshCounts counts = router.call(ems.id(), InventoryCapability.class, inventory -> {
                Fence fence = ownership.fence(ems.id()).orElse(null);
                try (InventoryRefresh refresh = fence == null ? inventoryStore.beginRefresh(ems.id()) : inventoryStore.beginRefresh(fence)) {
                    java.util.Optional<RefreshCounts> elsewhere = refresh.finishedMeanwhile();
                    if (elsewhere.isPresent()) {
                        // Another node refreshed this EMS while this one waited: that refresh answers this request too.
                        joined[0] = true;
                        return elsewhere.get();
                    }
                    inventory.collect(new ReportingSink(refresh, progress, stopping));
                    return refresh.commit();
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (joined[0]) {
                progress.joined();
                LOG.info("Refresh of EMS '{}' joined one that another node ran meanwhile", ems.name());
                return new RefreshResult(counts, took, true);
            }
            String summary = summary(counts, took);
            inventoryStore.recordRefresh(ems.id(), new RefreshStatus(Instant.now(), RefreshStatus.OK, summary));
            LOG.info("Refreshed EMS '{}': {}", ems.name(), summary);
            post(TOPIC_REFRESHED, ems, counts, took, null);
            return new RefreshResult(counts, took, false);
        } catch (RuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String reason = e instanceof JunctionException ? e.getMessage() : e.toString();
            if (stopping.stopping()) {
                // Whatever the provider made of it, the refresh ended because Junction stops.
                reason = STOPPING;
                LOG.info("Refresh of EMS '{}' ended as Junction stops; the previous inventory stays", ems.name());
            } else if (!(e instanceof JunctionException)) {
                LOG.error("Refresh of EMS '{}' failed", ems.name(), e);
            } else {
                LOG.warn("Refresh of EMS '{}' failed: {}", ems.name(), reason);
            }
            try {
                inventoryStore.recordRefresh(ems.id(), new RefreshStatus(Instant.now(), RefreshStatus.FAILED, reason));
            } catch (RuntimeException recordFailed) {
                if (stopping.stopping()) {
                    LOG.debug("Could not record the end of the refresh of EMS '{}' as Junction stops", ems.name(), recordFailed);
                } else {
                    LOG.warn("Could not record the failed refresh of EMS '{}'", ems.name(), recordFailed);
                }
            }
            post(TOPIC_FAILED, ems, null, took, reason);
            throw new JunctionException("refresh of EMS '" + ems.name() + "' failed, the previous inventory stays: " + reason, e);
        }
    }

    static String summary(RefreshCounts c, Duration took) {
        return String.format("%d created, %d updated, %d deleted, %d unchanged%s in %.1f s", c.created(), c.updated(), c.deleted(),
                c.unchanged(), c.skipped() > 0 ? ", " + c.skipped() + " malformed skipped" : "", took.toMillis() / 1000.0);
    }

    private void post(String topic, Ems ems, RefreshCounts counts, Duration took, String error) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put("ems.id", ems.id());
        props.put("ems.name", ems.name());
        props.put("ems.type", ems.type());
        props.put("duration.ms", took.toMillis());
        if (counts != null) {
            props.put("created", counts.created());
            props.put("updated", counts.updated());
            props.put("deleted", counts.deleted());
            props.put("unchanged", counts.unchanged());
            props.put("skipped", counts.skipped());
        }
        if (error != null) {
            props.put("error", error);
        }
        admin.postEvent(new Event(topic, props));
    }

    /** Passes items to the refresh and reports progress now and then. */
    private static final class ReportingSink implements InventorySink {
        private final InventoryRefresh refresh;
        private final Progress progress;
        private final FrameworkStopping stopping;
        private long lastReport = System.nanoTime();

        ReportingSink(InventoryRefresh refresh, Progress progress, FrameworkStopping stopping) {
            this.refresh = refresh;
            this.progress = progress;
            this.stopping = stopping;
        }

        private void tick() {
            if (stopping.stopping()) {
                throw new JunctionException(STOPPING);
            }
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS) {
                lastReport = now;
                progress.progress(refresh.seen(), refresh.written());
            }
        }

        @Override
        public void cluster(ClusterItem cluster) {
            refresh.cluster(cluster);
            tick();
        }

        @Override
        public void host(HostItem host) {
            refresh.host(host);
            tick();
        }

        @Override
        public void vm(VmItem vm) {
            refresh.vm(vm);
            tick();
        }

        @Override
        public void datastore(DatastoreItem datastore) {
            refresh.datastore(datastore);
            tick();
        }
    }
}
