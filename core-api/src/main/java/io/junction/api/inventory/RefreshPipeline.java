package io.junction.api.inventory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Refreshes the stored inventory of an EMS from its provider: one refresh per EMS at a time, all
 * or nothing as others see it.
 */
@ProviderType
public interface RefreshPipeline {

    /** Told how a refresh goes while it runs. */
    interface Progress {
        /** Items received from the provider and written so far. */
        void progress(long seen, long written);

        /** A refresh of the EMS was already running: this call waits for it instead of starting another. */
        default void joined() {
        }
    }

    /**
     * Refreshes the EMS and returns when done. If a refresh of it is already running, waits for
     * that one and returns its result.
     *
     * @throws io.junction.api.CapabilityUnavailableException when no inventory service or connection is bound
     * @throws io.junction.api.JunctionException              when the refresh failed; the previous inventory stays
     */
    RefreshResult refresh(long emsId, Progress progress);
}
