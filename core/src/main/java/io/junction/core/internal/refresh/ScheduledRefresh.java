package io.junction.core.internal.refresh;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.node.EmsOwnership;
import io.junction.api.store.EmsStore;
import io.junction.core.internal.FrameworkStopping;
import io.junction.core.internal.pools.BackgroundPools;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refreshes one EMS at the configured interval, one instance per factory configuration, on the shared refresh pool. */
@Component(service = {}, configurationPid = ScheduledRefreshConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ScheduledRefreshConfiguration.class, factory = true)
public class ScheduledRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRefresh.class);
    static final long MIN_INTERVAL_SECONDS = 10;
    /** How long a stop waits for a running refresh to end and record it. */
    static final long STOP_WAIT_SECONDS = 10;

    private final ScheduledFuture<?> schedule;
    private final FrameworkStopping stopping;
    /** Whether a refresh of this EMS is running on the shared pool, and who waits for its end. */
    private boolean running;
    private boolean stopped;

    @Activate
    public ScheduledRefresh(@Reference RefreshPipeline pipeline, @Reference EmsStore store, @Reference EmsOwnership ownership,
                            @Reference BackgroundPools pools, ScheduledRefreshConfiguration config, BundleContext context) {
        String ref = config.ems() == null ? "" : config.ems().strip();
        long interval = config.intervalSeconds();
        if (ref.isEmpty() || interval < MIN_INTERVAL_SECONDS) {
            // Bad configuration: say so once, schedule nothing.
            LOG.error("Periodic refresh ignored: {} needs 'ems' (id or name) and 'intervalSeconds' of at least {} (got ems='{}', intervalSeconds={})",
                    ScheduledRefreshConfiguration.PID, MIN_INTERVAL_SECONDS, ref, interval);
            schedule = null;
            stopping = null;
            return;
        }
        // No refresh starts once Junction is stopping: its provider may be gone by then. A running
        // one notices the stop and ends; waiting for it here (the framework stops nothing else
        // meanwhile) lets it record how it ended while the store is still up, instead of racing
        // the database's going away (seen: an ERROR logged after a quicker start and stop).
        stopping = FrameworkStopping.watch(context, () -> {
            if (!stop(STOP_WAIT_SECONDS)) {
                LOG.warn("Periodic refresh of EMS '{}' still running {} s after Junction began to stop", ref, STOP_WAIT_SECONDS);
            }
        });
        // One pool for every EMS's periodic refresh. A fixed delay (from the end of one refresh to
        // the start of the next) means a refresh never runs twice at once and missed slots do not
        // pile up; the pool runs what is due oldest first, so a slow EMS holds one thread and
        // delays no other EMS more than the pool's other threads take to free up.
        schedule = pools.refreshes().scheduleWithFixedDelay(() -> {
            if (!begin()) {
                return;
            }
            try {
                Ems ems = store.requireEms(ref);
                if (ownership.fence(ems.id()).isEmpty()) {
                    // Another node holds the EMS's lease and refreshes it on its own schedule.
                    LOG.debug("Periodic refresh of EMS '{}' left to node {}", ems.name(), ownership.owner(ems.id()).orElse("(none yet)"));
                    return;
                }
                // The pipeline logs how it ended; this says when it began.
                LOG.info("Periodic refresh of EMS '{}' started", ems.name());
                pipeline.refresh(ems.id(), (seen, written) -> { });
            } catch (JunctionException e) {
                if (stopping.stopping()) {
                    // The pipeline said so already.
                    LOG.debug("Periodic refresh of EMS '{}' ended as Junction stops: {}", ref, e.getMessage());
                } else {
                    LOG.warn("Periodic refresh of EMS '{}': {}", ref, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.error("Periodic refresh of EMS '{}' failed", ref, e);
            } finally {
                end();
            }
        }, interval, interval, TimeUnit.SECONDS);
        LOG.info("Refreshing EMS '{}' every {} s", ref, interval);
    }

    private synchronized boolean begin() {
        if (stopped) {
            return false;
        }
        running = true;
        return true;
    }

    private synchronized void end() {
        running = false;
        notifyAll();
    }

    /**
     * No refresh of this EMS starts any more; waits (bounded) for one running to end.
     *
     * @return false if one still runs after the wait
     */
    private boolean stop(long waitSeconds) {
        schedule.cancel(false);
        synchronized (this) {
            stopped = true;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            long left;
            while (running && (left = until - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !running;
                }
            }
            return !running;
        }
    }

    @Deactivate
    void deactivate() {
        if (schedule != null) {
            stopping.close();
            // Not interrupted: interrupting a refresh mid-query makes Derby close its connection.
            // A refresh already running ends on its own (the pipeline stops it when Junction stops);
            // none starts after this.
            stop(0);
        }
    }
}
