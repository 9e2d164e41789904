package io.junction.core.internal.refresh;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.node.EmsOwnership;
import io.junction.api.store.EmsStore;
import io.junction.core.internal.FrameworkStopping;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

/** Refreshes one EMS at the configured interval, one instance per factory configuration. */
@Component(service = {}, configurationPid = ScheduledRefreshConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ScheduledRefreshConfiguration.class, factory = true)
public class ScheduledRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRefresh.class);
    static final long MIN_INTERVAL_SECONDS = 10;
    /** How long a stop waits for a running refresh to end and record it. */
    static final long STOP_WAIT_SECONDS = 10;

    private final ScheduledExecutorService executor;
    private final FrameworkStopping stopping;

    @Activate
    public ScheduledRefresh(@Reference RefreshPipeline pipeline, @Reference EmsStore store, @Reference EmsOwnership ownership,
                            ScheduledRefreshConfiguration config, BundleContext context) {
        String ref = config.ems() == null ? "" : config.ems().strip();
        long interval = config.intervalSeconds();
        if (ref.isEmpty() || interval < MIN_INTERVAL_SECONDS) {
            // Bad configuration: say so once, schedule nothing.
            LOG.error("Periodic refresh ignored: {} needs 'ems' (id or name) and 'intervalSeconds' of at least {} (got ems='{}', intervalSeconds={})",
                    ScheduledRefreshConfiguration.PID, MIN_INTERVAL_SECONDS, ref, interval);
            executor = null;
            stopping = null;
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-refresh-" + ref);
            t.setDaemon(true);
            return t;
        });
        // No refresh starts once Junction is stopping: its provider may be gone by then. A running
        // one notices the stop and ends; waiting for it here (the framework stops nothing else
        // meanwhile) lets it record how it ended while the store is still up, instead of racing
        // the database's going away (seen: an ERROR logged after a quicker start and stop).
        stopping = FrameworkStopping.watch(context, () -> {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("Periodic refresh of EMS '{}' still running {} s after Junction began to stop", ref, STOP_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        executor.scheduleWithFixedDelay(() -> {
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
            }
        }, interval, interval, TimeUnit.SECONDS);
        LOG.info("Refreshing EMS '{}' every {} s", ref, interval);
    }

    @Deactivate
    void deactivate() {
        if (executor != null) {
            stopping.close();
            // Not shutdownNow(): interrupting a refresh mid-query makes Derby close its connection.
            // A refresh already running ends on its own (the pipeline stops it when Junction stops).
            executor.shutdown();
        }
    }
}
