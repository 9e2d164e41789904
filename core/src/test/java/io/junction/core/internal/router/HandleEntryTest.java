package io.junction.core.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.service.Capability;
import io.junction.api.service.ServiceHandle;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandleEntryTest {

    /** Counts how often it is closed. */
    static final class CountingHandle implements ServiceHandle {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void verify() {
        }

        @Override
        public <C extends Capability> Optional<C> capability(Class<C> type) {
            return Optional.empty();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void opensOnceAndSharesTheHandle() {
        AtomicInteger opened = new AtomicInteger();
        CountingHandle h = new CountingHandle();
        HandleEntry entry = new HandleEntry(1, 2);
        assertSame(h, entry.acquire(() -> {
            opened.incrementAndGet();
            return h;
        }));
        assertSame(h, entry.acquire(() -> {
            opened.incrementAndGet();
            return new CountingHandle();
        }));
        assertEquals(1, opened.get());
    }

    @Test
    void retiredWhileInUseClosesWhenTheLastUserIsDone() {
        CountingHandle h = new CountingHandle();
        HandleEntry entry = new HandleEntry(1, 2);
        entry.acquire(() -> h);
        entry.acquire(() -> h);
        entry.retire();
        assertEquals(0, h.closes.get(), "still in use");
        entry.release();
        assertEquals(0, h.closes.get());
        entry.release();
        assertEquals(1, h.closes.get());
        assertNull(entry.acquire(() -> h), "a retired entry hands out nothing");
        assertEquals(1, h.closes.get(), "closed exactly once");
    }

    @Test
    void retiredUnusedClosesAtOnce() {
        CountingHandle h = new CountingHandle();
        HandleEntry entry = new HandleEntry(1, 2);
        entry.acquire(() -> h);
        entry.release();
        entry.retire();
        assertEquals(1, h.closes.get());
    }

    @Test
    void aFailedOpenLeavesNoUserBehind() {
        HandleEntry entry = new HandleEntry(1, 2);
        assertThrows(IllegalStateException.class, () -> entry.acquire(() -> {
            throw new IllegalStateException("refused");
        }));
        CountingHandle h = new CountingHandle();
        entry.acquire(() -> h);
        entry.release();
        entry.retire();
        assertEquals(1, h.closes.get(), "only the one real user counted");
    }
}
