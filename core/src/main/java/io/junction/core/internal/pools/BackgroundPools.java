package io.junction.core.internal.pools;

import io.junction.api.service.TaskScheduler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pools every EMS's background work shares, so that a node's threads do not grow with
 * its EMSs: periodic refreshes, the providers' event work (handed to them as their
 * {@link TaskScheduler}), and the storing of event batches. Sizes come from configuration and
 * change live.
 */
@Component(service = BackgroundPools.class, configurationPid = BackgroundPoolsConfiguration.PID)
@Designate(ocd = BackgroundPoolsConfiguration.class)
public class BackgroundPools {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPools.class);

    private final ScheduledThreadPoolExecutor refreshes;
    private final ScheduledThreadPoolExecutor events;
    private final ThreadPoolExecutor storing;
    private final TaskScheduler scheduler;

    @Activate
    public BackgroundPools(BackgroundPoolsConfiguration config) {
        Sizes sizes = Sizes.of(config, Runtime.getRuntime().availableProcessors());
        refreshes = scheduled(sizes.refresh(), "junction-refresh-");
        events = scheduled(sizes.events(), "junction-events-");
        storing = new ThreadPoolExecutor(sizes.store(), sizes.store(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("junction-event-store-"));
        storing.allowCoreThreadTimeOut(true);
        scheduler = (task, delay) -> {
            ScheduledFuture<?> f;
            try {
                f = events.schedule(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        LOG.warn("A provider's background task failed", e);
                    }
                }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopped) {
                // Junction is stopping: the handles under this are being closed too.
                LOG.debug("A provider's background task was not scheduled: the pools are stopped");
                return () -> { };
            }
            // Never interrupted: a provider may be inside a delivery, or a JDBC call under it.
            return () -> f.cancel(false);
        };
        LOG.info("Background pools: {} refresh, {} event, {} event storing threads", sizes.refresh(), sizes.events(), sizes.store());
    }

    @Modified
    void modified(BackgroundPoolsConfiguration config) {
        Sizes sizes = Sizes.of(config, Runtime.getRuntime().availableProcessors());
        refreshes.setCorePoolSize(sizes.refresh());
        events.setCorePoolSize(sizes.events());
        // Growing: the maximum first; shrinking: the core first (each must stay ≤ the maximum).
        if (sizes.store() > storing.getMaximumPoolSize()) {
            storing.setMaximumPoolSize(sizes.store());
            storing.setCorePoolSize(sizes.store());
        } else {
            storing.setCorePoolSize(sizes.store());
            storing.setMaximumPoolSize(sizes.store());
        }
        LOG.info("Background pools now: {} refresh, {} event, {} event storing threads", sizes.refresh(), sizes.events(), sizes.store());
    }

    @Deactivate
    void deactivate() {
        // Whoever used the pools was deactivated first (they reference this component) and ended its work.
        refreshes.shutdown();
        events.shutdown();
        storing.shutdown();
    }

    /** Periodic refreshes of all EMSs; each schedules itself with a fixed delay, so none runs twice at once or piles up. */
    public ScheduledExecutorService refreshes() {
        return refreshes;
    }

    /** The providers' event work, under the {@link TaskScheduler} contract. */
    public TaskScheduler scheduler() {
        return scheduler;
    }

    /** Where batches of events are stored, off the providers' threads. */
    public ExecutorService storing() {
        return storing;
    }

    /** Pool sizes, with the defaults for 0 (or less). */
    record Sizes(int refresh, int events, int store) {
        static Sizes of(BackgroundPoolsConfiguration config, int cores) {
            return new Sizes(config.refreshThreads() > 0 ? config.refreshThreads() : Math.max(2, cores),
                    config.eventThreads() > 0 ? config.eventThreads() : Math.max(4, 2 * cores),
                    config.storeThreads() > 0 ? config.storeThreads() : 2);
        }
    }

    private static ScheduledThreadPoolExecutor scheduled(int size, String prefix) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(size, threads(prefix));
        // A cancelled subscription's or refresh's task leaves the queue at once, not at its time.
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        return pool;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
