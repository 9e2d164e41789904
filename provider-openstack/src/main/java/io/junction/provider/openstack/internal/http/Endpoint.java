package io.junction.provider.openstack.internal.http;

import io.junction.api.Connection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP(S) server as a connection describes it, with the timeouts of the context that uses it.
 *
 * @param base             scheme, host, port and path prefix, without a trailing {@code /}
 * @param verifyTls        whether the server's certificate and name are verified
 * @param caCertificatePem PEM of the CA to trust instead of the JDK's, or {@code null}
 * @param connectTimeout   how long to wait for a connection
 * @param operationTimeout how long one request may take
 */
public record Endpoint(URI base, boolean verifyTls, String caCertificatePem, Duration connectTimeout, Duration operationTimeout) {
    public Endpoint {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        String text = base.toString();
        if (text.endsWith("/")) {
            base = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /** The connection's URL without any query its path carries. */
    public static Endpoint of(Connection c, Duration connectTimeout, Duration operationTimeout) {
        String path = c.path();
        int q = path.indexOf('?');
        path = q >= 0 ? path.substring(0, q) : path;
        return new Endpoint(URI.create(c.scheme() + "://" + c.address() + path), c.verifyTls(), c.caCertificate(),
                connectTimeout, operationTimeout);
    }

    /** The same server with another base URL (an endpoint of the catalog on the same cloud, trusted the same way). */
    public Endpoint withBase(URI other) {
        return new Endpoint(other, verifyTls, caCertificatePem, connectTimeout, operationTimeout);
    }

    /** The base followed by a path (starting with {@code /}) and optional query. */
    public URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /** {@code host:port} for messages. */
    public String address() {
        int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        return Connection.address(base.getHost().replace("[", "").replace("]", ""), port);
    }
}
