package io.junction.api.store;

import io.junction.api.service.EmsEvent;
import java.time.Instant;

/**
 * An event as stored.
 *
 * @param id         increasing store id, usable as a position for following
 * @param emsId      the EMS it came from
 * @param event      the event
 * @param receivedAt when Junction stored it
 */
public record StoredEvent(long id, long emsId, EmsEvent event, Instant receivedAt) {
}
