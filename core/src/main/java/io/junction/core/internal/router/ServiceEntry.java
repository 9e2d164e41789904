package io.junction.core.internal.router;

import io.junction.api.service.EmsService;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * One bound {@link EmsService} with what the router keeps for it: its properties, the handles it
 * opened (one per connection), and the calls running on it, so that it can be drained when it goes.
 */
final class ServiceEntry {
    final EmsService service;
    final long serviceId;
    final int ranking;
    final String type;
    final String role;
    final Set<String> capabilities;
    final String bundle;
    final String bundleVersion;
    final String name;

    /** Handles by connection id. */
    final ConcurrentMap<Long, HandleEntry> handles = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean active = true;

    ServiceEntry(EmsService service, ServiceReference<?> ref) {
        this.service = service;
        this.serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        this.ranking = r instanceof Integer i ? i : 0;
        this.type = String.valueOf(ref.getProperty(EmsService.TYPE));
        this.role = String.valueOf(ref.getProperty(EmsService.ROLE));
        this.capabilities = Set.copyOf(strings(ref.getProperty(EmsService.CAPABILITY)));
        Bundle b = ref.getBundle();
        this.bundle = b == null ? "?" : b.getSymbolicName();
        this.bundleVersion = b == null ? "?" : b.getVersion().toString();
        String n;
        try {
            n = service.descriptor().name();
        } catch (RuntimeException e) {
            n = service.getClass().getSimpleName();
        }
        this.name = n;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    boolean serves(String emsType, String capability) {
        return active && type.equals(emsType) && capabilities.contains(capability);
    }

    boolean usesRole(String emsType, String connectionRole) {
        return active && type.equals(emsType) && role.equals(connectionRole);
    }

    /** Higher ranking first, then the older service (lower id), as the OSGi registry orders them. */
    boolean betterThan(ServiceEntry other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }

    /** Counts a call in; false when the service is going away and must not be used. */
    boolean enter() {
        inFlight.incrementAndGet();
        if (!active) {
            leave();
            return false;
        }
        return true;
    }

    void leave() {
        if (inFlight.decrementAndGet() == 0 && !active) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Stops new calls and waits, at most {@code timeoutMillis}, for the running ones to end.
     *
     * @return the number of calls still running when it gave up
     */
    int drain(long timeoutMillis) throws InterruptedException {
        active = false;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (this) {
            while (inFlight.get() > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                wait(Math.min(left, 50));
            }
        }
        return inFlight.get();
    }

    @Override
    public String toString() {
        return name + " (" + type + "/" + role + ", " + bundle + " " + bundleVersion + ")";
    }
}
