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
    private volatile ServiceHandle handle;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    HandleEntry(long emsId, long connectionId) {
        this.emsId = emsId;
        this.connectionId = connectionId;
    }

    interface Opener {
        ServiceHandle open();
    }

    /**
     * Takes the handle for one use, opening it on first use. Returns {@code null} when the entry
     * was retired meanwhile (the caller makes a new one).
     */
    ServiceHandle acquire(Opener opener) {
        users.incrementAndGet();
        if (retired) {
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
        if (users.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** No new uses; closes the handle now, or when its last user releases it. */
    void retire() {
        retired = true;
        if (users.get() == 0) {
            closeOnce();
        }
    }

    boolean retired() {
        return retired;
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
