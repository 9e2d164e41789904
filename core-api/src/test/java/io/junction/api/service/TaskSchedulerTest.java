package io.junction.api.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TaskSchedulerTest {

    @Test
    void aCancelledTaskNeverRunsAndARunningOneIsNotInterrupted() throws Exception {
        TaskScheduler scheduler = TaskScheduler.threadPerTask();
        AtomicBoolean ran = new AtomicBoolean();
        scheduler.schedule(() -> ran.set(true), Duration.ofMillis(300)).cancel();

        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(1);
        TaskScheduler.Scheduled busy = scheduler.schedule(() -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            ended.countDown();
        }, Duration.ZERO);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        busy.cancel();
        release.countDown();
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        assertFalse(interrupted.get(), "cancel does not interrupt a task already running");
        Thread.sleep(600);
        assertFalse(ran.get(), "a task cancelled before its time never runs");
    }

    @Test
    void aContextWithoutAPlatformSchedulerRunsTasksAnyway() throws Exception {
        io.junction.api.Connection c = new io.junction.api.Connection(2, 1, "compute", "h.example", 443, "https", "", true, null, true, false);
        ServiceContext context = new ServiceContext(new io.junction.api.Ems(1, "os1", "openstack", java.time.Instant.EPOCH), c, null,
                () -> io.junction.api.Secret.of("s".toCharArray()), java.time.Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        CountDownLatch ran = new CountDownLatch(1);
        context.scheduler().schedule(ran::countDown, Duration.ZERO);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
    }
}
