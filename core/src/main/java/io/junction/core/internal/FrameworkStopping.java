package io.junction.core.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Runs an action once, as soon as the framework begins to stop: the system bundle's STOPPING
 * event reaches synchronous listeners before any other bundle stops. Background work (periodic
 * refresh, event subscriptions) ends there, while providers, the store and the log are all
 * still up, instead of going on while they go away one by one and failing loudly.
 */
public final class FrameworkStopping implements SynchronousBundleListener, AutoCloseable {
    private final BundleContext context;
    private final Runnable action;
    private volatile boolean stopping;

    private FrameworkStopping(BundleContext context, Runnable action) {
        this.context = context;
        this.action = action;
    }

    /** Watches the framework on behalf of the bundle of {@code context}; close when the component goes. */
    public static FrameworkStopping watch(BundleContext context, Runnable action) {
        FrameworkStopping watcher = new FrameworkStopping(context, action);
        context.addBundleListener(watcher);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system != null && system.getState() == Bundle.STOPPING) {
            watcher.fire();
        }
        return watcher;
    }

    /** Whether the framework has begun to stop. */
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            fire();
        }
    }

    private synchronized void fire() {
        if (!stopping) {
            stopping = true;
            action.run();
        }
    }

    @Override
    public void close() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException bundleStopped) {
            // the listener went with the bundle
        }
    }
}
