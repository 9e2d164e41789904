package io.junction.core.internal.router;

import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.Ems;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An EMS with its connections and their credentials, as read once from the store and kept until it changes. */
record EmsView(Ems ems, List<Connection> connections, Map<Long, Credential> credentialByConnection) {

    static EmsView of(Ems ems, List<Connection> connections, List<Credential> credentials) {
        return new EmsView(ems, List.copyOf(connections), credentials.stream().filter(c -> !c.emsLevel())
                .collect(Collectors.toUnmodifiableMap(Credential::connectionId, Function.identity())));
    }

    /** The connection used for a role: its default one. */
    Optional<Connection> connectionFor(String role) {
        return Connection.forRole(connections, role);
    }

    Optional<Credential> credentialOf(Connection connection) {
        return Optional.ofNullable(credentialByConnection.get(connection.id()));
    }
}
