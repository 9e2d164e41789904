package io.junction.api.service;

import io.junction.api.Capabilities;
import org.osgi.annotation.versioning.ConsumerType;

/** Delivers the EMS's events. */
@ConsumerType
public interface EventCapability extends Capability {
    String NAME = Capabilities.EVENTS;

    /**
     * Starts delivering the events that follow the cursor ({@code null}: from now on).
     *
     * @return the subscription, to close when events are no longer wanted
     */
    EventSubscription subscribe(String cursor, EventSink sink);
}
