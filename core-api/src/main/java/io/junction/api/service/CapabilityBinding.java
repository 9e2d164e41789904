package io.junction.api.service;

import io.junction.api.Connection;
import java.util.List;

/**
 * How one capability of an EMS is bound right now: one row of {@link CapabilityRouter#matrix(long)}.
 *
 * @param capability    capability name
 * @param state         {@link #BOUND}, {@link #NO_SERVICE}, {@link #NO_CONNECTION}, {@link #NO_CREDENTIAL} or {@link #FAILING}
 * @param detail        why, for any state but bound (the last error when failing); empty otherwise
 * @param service       the service's name, or {@code null} when none is installed
 * @param role          the connection role the service uses (or the provider type declares), or {@code null}
 * @param connection    the connection the capability goes through, or {@code null}
 * @param bundle        symbolic name of the bundle that provides the service, or {@code null}
 * @param bundleVersion that bundle's version, or {@code null}
 * @param connections   every connection of the role in the order they are tried, each active, standby or down;
 *                      empty when there is no service
 */
public record CapabilityBinding(String capability, String state, String detail, String service, String role,
                                Connection connection, String bundle, String bundleVersion, List<ConnectionHealth> connections) {

    public CapabilityBinding {
        connections = connections == null ? List.of() : List.copyOf(connections);
    }

    /** A binding that tells nothing of the role's other connections. */
    public CapabilityBinding(String capability, String state, String detail, String service, String role,
                             Connection connection, String bundle, String bundleVersion) {
        this(capability, state, detail, service, role, connection, bundle, bundleVersion, List.of());
    }

    public static final String BOUND = "bound";
    public static final String NO_SERVICE = "no-service";
    public static final String NO_CONNECTION = "no-connection";
    public static final String NO_CREDENTIAL = "no-credential";
    public static final String FAILING = "failing";
}
