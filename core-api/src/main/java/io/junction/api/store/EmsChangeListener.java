package io.junction.api.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told, synchronously and after the commit, that an EMS, its connections or
 * its credentials changed, so that whoever caches them (handles, bindings) can let go.
 */
@ConsumerType
public interface EmsChangeListener {
    /** The EMS changed or was removed. Must return quickly and must not throw. */
    void emsChanged(long emsId);
}
