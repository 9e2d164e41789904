package io.junction.core.internal.refresh;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.store.EmsStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    private final ScheduledExecutorService executor;

    @Activate
    public ScheduledRefresh(@Reference RefreshPipeline pipeline, @Reference EmsStore store, ScheduledRefreshConfiguration config) {
        String ref = config.ems() == null ? "" : config.ems().strip();
        long interval = config.intervalSeconds();
        if (ref.isEmpty() || interval < MIN_INTERVAL_SECONDS) {
            // Bad configuration: say so once, schedule nothing.
            LOG.error("Periodic refresh ignored: {} needs 'ems' (id or name) and 'intervalSeconds' of at least {} (got ems='{}', intervalSeconds={})",
                    ScheduledRefreshConfiguration.PID, MIN_INTERVAL_SECONDS, ref, interval);
            executor = null;
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-refresh-" + ref);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                Ems ems = store.requireEms(ref);
                pipeline.refresh(ems.id(), (seen, written) -> { });
            } catch (JunctionException e) {
                LOG.warn("Periodic refresh of EMS '{}': {}", ref, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Periodic refresh of EMS '{}' failed", ref, e);
            }
        }, interval, interval, TimeUnit.SECONDS);
        LOG.info("Refreshing EMS '{}' every {} s", ref, interval);
    }

    @Deactivate
    void deactivate() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
