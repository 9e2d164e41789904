package io.junction.provider.microsoft.internal.winrm;

import io.junction.api.Connection;
import io.junction.api.service.ServiceContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one WinRM server: the connection's address and TLS settings and the
 * timeouts of the context that opened it.
 *
 * @param host             host name or address
 * @param port             TCP port (5986 for HTTPS by default)
 * @param https            whether TLS is used (plain HTTP only when the connection's scheme is {@code http})
 * @param path             the WS-Management path, {@code /wsman} unless the connection names another
 * @param verifyTls        whether the server's certificate and name are verified
 * @param caCertificatePem PEM of the CA to trust instead of the JDK's trust store, or {@code null}
 * @param connectTimeout   how long to wait for a TCP/TLS connection
 * @param operationTimeout how long one request, and a command without any output, may take
 * @param basicOverHttpAllowed whether HTTP Basic may be sent although the target is plain http (the operator's
 *                         explicit choice for the connection); Basic over https is always allowed
 */
public record WinRmTarget(String host, int port, boolean https, String path, boolean verifyTls, String caCertificatePem,
                          Duration connectTimeout, Duration operationTimeout, boolean basicOverHttpAllowed) {
    public WinRmTarget {
        Objects.requireNonNull(host, "host");
        path = path == null || path.isEmpty() ? "/wsman" : path;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
    }

    public static WinRmTarget of(ServiceContext context) {
        Connection c = context.connection();
        return new WinRmTarget(c.host(), c.port(), !"http".equals(c.scheme()), c.path(), c.verifyTls(), c.caCertificate(),
                context.connectTimeout(), context.operationTimeout(), c.basicOverHttpAllowed());
    }

    /** Whether HTTP Basic may be used: always over https, over http only when the connection allows it. */
    public boolean basicAllowed() {
        return https || basicOverHttpAllowed;
    }

    /** {@code https://host:port/wsman}. */
    public String url() {
        return (https ? "https" : "http") + "://" + Connection.address(host, port) + path;
    }

    /** {@code host:port} for messages. */
    public String address() {
        return Connection.address(host, port);
    }
}
