package io.junction.api;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One way to reach one service of an EMS: the {@code scvmm} server, the {@code scom} server,
 * the OpenStack identity endpoint. An EMS has many; the default one of a role is used first.
 *
 * @param id             store-assigned identifier
 * @param emsId          the EMS it belongs to
 * @param role           the role it plays for the EMS's provider type, e.g. {@code scvmm}
 * @param host           host name or IP address (IPv6 without brackets)
 * @param port           TCP port, 1 to 65535
 * @param scheme         e.g. {@code https}, {@code amqps}
 * @param path           path prefix on the server, empty when none
 * @param verifyTls      whether the server's certificate is verified (on unless turned off)
 * @param caCertificate  PEM text of the CA certificate to trust, or {@code null} for the JDK's trust store
 * @param defaultForRole whether this is the connection used for its role
 * @param discovered     whether it was found through a catalog rather than entered by hand
 * @param allowBasicOverHttp whether the operator allowed HTTP Basic authentication over plain {@code http}
 *                       (see {@link #basicOverHttpAllowed()})
 */
public record Connection(long id, long emsId, String role, String host, int port, String scheme, String path,
                         boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered,
                         boolean allowBasicOverHttp) {
    public Connection {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(scheme, "scheme");
        path = path == null ? "" : path;
    }

    /** A connection that does not allow HTTP Basic over plain {@code http}. */
    public Connection(long id, long emsId, String role, String host, int port, String scheme, String path,
                      boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered) {
        this(id, emsId, role, host, port, scheme, path, verifyTls, caCertificate, defaultForRole, discovered, false);
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    public String address() {
        return address(host, port);
    }

    /** {@code host:port} for any host and port, with an IPv6 address in brackets. */
    public static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The connection as a URI-like text, {@code https://host:port/path}. */
    public String url() {
        return scheme + "://" + address() + path;
    }

    /**
     * The connection used for a role among an EMS's connections: the role's default one (the store
     * keeps exactly one), else the oldest of the role.
     */
    public static Optional<Connection> forRole(Collection<Connection> connections, String role) {
        return connections.stream().filter(c -> c.role().equals(role))
                .min(Comparator.comparing((Connection c) -> !c.defaultForRole()).thenComparingLong(Connection::id));
    }

    /**
     * Whether a provider may send HTTP Basic credentials (the password, merely base64-encoded) on this
     * connection although it is plain {@code http}: only when the operator said so for this connection.
     */
    public boolean basicOverHttpAllowed() {
        return allowBasicOverHttp && scheme.equals("http");
    }

    /** Whether traffic on this connection is sent without TLS. */
    public boolean plainText() {
        return scheme.equals("http") || scheme.equals("amqp");
    }
}
