package io.junction.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Waits until, for every LDAP filter, some service matching it is registered, or until a bundle
 * says Junction must not start. Tracks service references only (never gets the service objects,
 * so no class loading and no component activation), and tracks all services regardless of class
 * space.
 */
final class ServiceWaiter {

    /**
     * Service property by which a bundle refuses the start, its value a one-line reason for the
     * operator (a key file that does not open the stored secrets, for one). The service object is
     * a plain {@code Object}: the launcher shares no classes with the bundles.
     */
    static final String REFUSAL = "junction.startup.refusal";

    /** What waiting found: a refusal, else the first filter left unmatched at the deadline, else neither. */
    record Outcome(String refusal, String missing) {
    }

    private ServiceWaiter() {
    }

    static Outcome await(BundleContext context, List<String> filters, long deadlineNanos)
            throws InvalidSyntaxException, InterruptedException {
        // Written by the trackers' callbacks, read by this thread, both under the monitor of seen.
        ServiceReference<?>[] seen = new ServiceReference<?>[filters.size() + 1];
        List<ServiceTracker<Object, ServiceReference<Object>>> trackers = new ArrayList<>();
        try {
            trackers.add(track(context, "(" + REFUSAL + "=*)", seen, 0));
            for (int i = 0; i < filters.size(); i++) {
                trackers.add(track(context, filters.get(i), seen, i + 1));
            }
            synchronized (seen) {
                while (true) {
                    if (seen[0] != null) {
                        return new Outcome(String.valueOf(seen[0].getProperty(REFUSAL)), null);
                    }
                    String missing = null;
                    for (int i = 0; i < filters.size() && missing == null; i++) {
                        if (seen[i + 1] == null) {
                            missing = filters.get(i);
                        }
                    }
                    long remaining = deadlineNanos - System.nanoTime();
                    if (missing == null || remaining <= 0) {
                        return new Outcome(null, missing);
                    }
                    TimeUnit.NANOSECONDS.timedWait(seen, remaining);
                }
            }
        } finally {
            trackers.forEach(ServiceTracker::close);
        }
    }

    private static ServiceTracker<Object, ServiceReference<Object>> track(BundleContext context, String expression,
            ServiceReference<?>[] seen, int slot) throws InvalidSyntaxException {
        ServiceTracker<Object, ServiceReference<Object>> tracker = new ServiceTracker<>(context, context.createFilter(expression),
                new ServiceTrackerCustomizer<Object, ServiceReference<Object>>() {
                    @Override
                    public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
                        synchronized (seen) {
                            if (seen[slot] == null) {
                                seen[slot] = reference;
                            }
                            seen.notifyAll();
                        }
                        return reference;
                    }

                    @Override
                    public void modifiedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
                    }

                    @Override
                    public void removedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
                    }
                });
        tracker.open(true);
        return tracker;
    }
}
