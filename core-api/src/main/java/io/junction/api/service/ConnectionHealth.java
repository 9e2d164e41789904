package io.junction.api.service;

import io.junction.api.Connection;
import java.time.Instant;
import java.util.Objects;

/**
 * How one connection of a capability's role stands for the router: the one calls use now, a standby
 * to use next, or down (its server did not answer; probed until it does).
 *
 * @param connection the connection
 * @param state      {@link #ACTIVE}, {@link #STANDBY} or {@link #DOWN}
 * @param reason     why it is down, as the failure said; empty otherwise
 * @param since      when it was found down, or {@code null}
 */
public record ConnectionHealth(Connection connection, String state, String reason, Instant since) {
    public static final String ACTIVE = "active";
    public static final String STANDBY = "standby";
    public static final String DOWN = "down";

    public ConnectionHealth {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }
}
