package io.junction.api.service;

/** A running event subscription; closing it stops delivery. */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();

    /**
     * Whether it still delivers: false once it ended without being closed by its subscriber, e.g.
     * when the handle it lives on was closed because its connection changed. The event pipeline
     * then starts a new one from the stored cursor.
     */
    default boolean active() {
        return true;
    }
}
