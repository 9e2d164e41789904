package io.junction.api.service;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives events from a subscription, batch by batch. */
@ConsumerType
public interface EventSink {
    /**
     * Takes a batch of events and the cursor that follows them. When this returns, the batch
     * and the cursor are stored together; a provider resumes from that cursor after a restart.
     */
    void deliver(List<EmsEvent> events, String cursorAfter);

    /**
     * Says that the subscription's server stopped answering (refused, timed out, reset). The
     * subscription may go on trying; the platform may close it and subscribe through a standby
     * connection of the same role, from the stored cursor.
     */
    default void unreachable(io.junction.api.UnreachableException failure) {
    }
}
