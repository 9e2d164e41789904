package io.junction.api.service;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in an EMS, as its provider reports it.
 *
 * @param source          where in the EMS it comes from (e.g. {@code scom}, {@code nova})
 * @param providerEventId the provider's id for it; with the EMS and source it identifies the event
 * @param type            event type, e.g. {@code alert.new}, {@code instance.power_off.end}
 * @param severity        provider severity text, or {@code null}
 * @param occurredAt      when it happened
 * @param subjectRef      {@code emsRef} of the VM or host it is about, or {@code null}
 * @param message         human-readable text
 * @param attributes      further provider fields
 */
public record EmsEvent(String source, String providerEventId, String type, String severity, Instant occurredAt,
                       String subjectRef, String message, Map<String, String> attributes) {
    public EmsEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(providerEventId, "providerEventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
