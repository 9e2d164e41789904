package io.junction.synthetic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.service.EmsEvent;
import io.junction.api.service.TaskScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyntheticEventsTest {

    /** Batches as delivered: ids in order, and the cursor after each. */
    private record Delivery(List<String> ids, String cursor) {
    }

    @Test
    void resumesAfterTheCursorAndCatchesUpAfterASlowSink() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        SyntheticEvents source = new SyntheticEvents(1000, 41, (events, cursorAfter) -> {
            synchronized (deliveries) {
                deliveries.add(new Delivery(events.stream().map(EmsEvent::providerEventId).toList(), cursorAfter));
                if (deliveries.size() == 1) {
                    try {
                        Thread.sleep(500); // a slow store: the next batch carries what fell due meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            three.countDown();
        }, TaskScheduler.threadPerTask(), "test").start();
        assertTrue(three.await(10, TimeUnit.SECONDS), "three batches delivered");
        source.close();
        assertFalse(source.active(), "closed");
        synchronized (deliveries) {
            assertEquals("evt-42", deliveries.get(0).ids().get(0), "starts after the cursor");
            long expected = 42;
            for (Delivery d : deliveries) {
                for (String id : d.ids()) {
                    assertEquals("evt-" + expected++, id, "ids follow each other without gaps");
                }
                assertEquals(Long.toString(expected - 1), d.cursor(), "the cursor names the batch's last event");
            }
            // 1,000/s in 100 ms ticks is about 100 per batch; after 500 ms in the sink, about 500 are owed.
            assertTrue(deliveries.get(1).ids().size() >= 300, "the batch after a slow store catches up: " + deliveries.get(1).ids().size());
        }
    }

    @Test
    void stopsWhenTheSinkRefuses() throws Exception {
        int[] calls = {0};
        CountDownLatch refused = new CountDownLatch(1);
        SyntheticEvents source = new SyntheticEvents(100, 0, (events, cursorAfter) -> {
            synchronized (calls) {
                calls[0]++;
            }
            refused.countDown();
            throw new IllegalStateException("subscription closed");
        }, TaskScheduler.threadPerTask(), "test").start();
        assertTrue(refused.await(10, TimeUnit.SECONDS));
        Thread.sleep(500); // five ticks' time: nothing more is delivered
        assertFalse(source.active(), "the source ends once its sink refuses a batch");
        synchronized (calls) {
            assertEquals(1, calls[0]);
        }
    }
}
