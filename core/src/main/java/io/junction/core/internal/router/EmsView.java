package io.junction.core.internal.router;

import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.Ems;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An EMS with its connections and their credentials, as read once from the store and kept until it changes.
 * The connections of each role are ordered once here (by priority), so a call picks its connection
 * without sorting or allocating.
 */
record EmsView(Ems ems, List<Connection> connections, Map<Long, Credential> credentialByConnection,
               Map<String, List<Connection>> byRole) {

    static EmsView of(Ems ems, List<Connection> connections, List<Credential> credentials) {
        Map<String, List<Connection>> byRole = connections.stream().map(Connection::role).distinct()
                .collect(Collectors.toUnmodifiableMap(Function.identity(), role -> Connection.byPriority(connections, role)));
        return new EmsView(ems, List.copyOf(connections), credentials.stream().filter(c -> !c.emsLevel())
                .collect(Collectors.toUnmodifiableMap(Credential::connectionId, Function.identity())), byRole);
    }

    /** The connection used first for a role: its default one (priority 1). */
    Optional<Connection> connectionFor(String role) {
        return ofRole(role).stream().findFirst();
    }

    /** The connections of a role in the order they are tried, the default first; empty when there is none. */
    List<Connection> ofRole(String role) {
        return byRole.getOrDefault(role, List.of());
    }

    Optional<Credential> credentialOf(Connection connection) {
        return Optional.ofNullable(credentialByConnection.get(connection.id()));
    }
}
