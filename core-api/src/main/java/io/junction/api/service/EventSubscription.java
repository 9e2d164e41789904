package io.junction.api.service;

/** A running event subscription; closing it stops delivery. */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
