package io.junction.core.internal.router;

import io.junction.api.service.ServiceHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled handle for one connection of one service. It is opened by the first call that needs
 * it, shared by concurrent calls, and closed once it is retired and its last user is done.
 */
final class HandleEntry {
    private static final Logger LOG = LoggerFactory.getLogger(HandleEntry.class);

    final long emsId;
    final long connectionId;
    /** The EMS as it was when this entry was made: the handle is opened with its connection and credential. */
    final EmsView view;
    /** Set in {@link #state} once retired. */
    private static final int RETIRED = 1 << 30;

    private volatile ServiceHandle handle;
    /** The number of users and the retired flag in one value, so that the last user and the retirement cannot miss each other. */
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    HandleEntry(long emsId, long connectionId) {
        this(emsId, connectionId, null);
    }

    HandleEntry(long emsId, long connectionId, EmsView view) {
        this.emsId = emsId;
        this.connectionId = connectionId;
        this.view = view;
    }

    interface Opener {
        ServiceHandle open();
    }

    /**
     * Takes the handle for one use, opening it on first use. Returns {@code null} when the entry
     * was retired meanwhile (the caller makes a new one).
     */
    ServiceHandle acquire(Opener opener) {
        if ((state.incrementAndGet() & RETIRED) != 0) {
            release();
            return null;
        }
        ServiceHandle h = handle;
        if (h == null) {
            synchronized (this) {
                h = handle;
                if (h == null) {
                    try {
                        h = opener.open();
                    } catch (RuntimeException e) {
                        release();
                        throw e;
                    }
                    handle = h;
                }
            }
        }
        return h;
    }

    void release() {
        // Exactly RETIRED: no user left and retired, decided in one atomic step.
        if (state.decrementAndGet() == RETIRED) {
            closeOnce();
        }
    }

    /** No new uses; closes the handle now, or when its last user releases it. */
    void retire() {
        int before = state.getAndUpdate(s -> s | RETIRED);
        if (before == 0) {
            closeOnce();
        }
    }

    boolean retired() {
        return (state.get() & RETIRED) != 0;
    }

    private void closeOnce() {
        ServiceHandle h;
        synchronized (this) {
            h = handle;
        }
        if (h != null && closed.compareAndSet(false, true)) {
            try {
                h.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the handle of connection {} failed", connectionId, e);
            }
        }
    }
}
