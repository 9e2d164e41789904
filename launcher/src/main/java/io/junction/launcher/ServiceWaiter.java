package io.junction.launcher;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Waits until, for every LDAP filter, some service matching it is registered. Tracks service
 * references only (never gets the service objects, so no class loading and no component
 * activation), and tracks all services regardless of class space.
 */
final class ServiceWaiter {

    private ServiceWaiter() {
    }

    /** Returns null when all filters are satisfied before the deadline, otherwise the first unsatisfied filter. */
    static String await(BundleContext context, List<String> filters, long deadlineNanos)
            throws InvalidSyntaxException, InterruptedException {
        for (String expression : filters) {
            Filter filter = context.createFilter(expression);
            CountDownLatch found = new CountDownLatch(1);
            ServiceTracker<Object, ServiceReference<Object>> tracker = new ServiceTracker<>(context, filter,
                    new ServiceTrackerCustomizer<Object, ServiceReference<Object>>() {
                        @Override
                        public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
                            found.countDown();
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
            try {
                long remaining = deadlineNanos - System.nanoTime();
                if (!found.await(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
                    return expression;
                }
            } finally {
                tracker.close();
            }
        }
        return null;
    }
}
