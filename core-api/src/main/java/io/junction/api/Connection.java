package io.junction.api;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One way to reach one service of an EMS: the {@code scvmm} server, the {@code scom} server,
 * the OpenStack identity endpoint. An EMS has many, and may have several of one role (a standby SCVMM
 * server, a second broker of a cluster): their priority orders them, and the first by priority is the
 * role's default, tried first; the others are its standbys.
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
 * @param defaultForRole whether it comes first of its role (priority 1): the role's default connection
 * @param discovered     whether it was found through a catalog rather than entered by hand
 * @param allowBasicOverHttp whether the operator allowed HTTP Basic authentication over plain {@code http}
 *                       (see {@link #basicOverHttpAllowed()})
 * @param priority       its place among the EMS's connections of the same role, from 1 (tried first)
 */
public record Connection(long id, long emsId, String role, String host, int port, String scheme, String path,
                         boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered,
                         boolean allowBasicOverHttp, int priority) {
    public Connection {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(scheme, "scheme");
        path = path == null ? "" : path;
    }

    /** A connection whose priority follows from whether it is its role's default (1) or not (2). */
    public Connection(long id, long emsId, String role, String host, int port, String scheme, String path,
                      boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered,
                      boolean allowBasicOverHttp) {
        this(id, emsId, role, host, port, scheme, path, verifyTls, caCertificate, defaultForRole, discovered,
                allowBasicOverHttp, defaultForRole ? 1 : 2);
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

    /** The order in which the connections of a role are tried: by priority, then the oldest first. */
    public static final Comparator<Connection> BY_PRIORITY = Comparator.comparingInt(Connection::priority)
            .thenComparing((Connection c) -> !c.defaultForRole()).thenComparingLong(Connection::id);

    /**
     * The connection used first for a role among an EMS's connections: the first by priority, which is
     * the role's default (the store keeps exactly one at priority 1).
     */
    public static Optional<Connection> forRole(Collection<Connection> connections, String role) {
        return connections.stream().filter(c -> c.role().equals(role)).min(BY_PRIORITY);
    }

    /** The connections of a role in the order they are tried: the default first, then the standbys. */
    public static List<Connection> byPriority(Collection<Connection> connections, String role) {
        return connections.stream().filter(c -> c.role().equals(role)).sorted(BY_PRIORITY).toList();
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
