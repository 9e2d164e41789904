package io.junction.provider.openstack.internal.notifications;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.junction.api.AuthenticationException;
import io.junction.api.Connection;
import io.junction.api.JunctionException;
import io.junction.api.ProviderException;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import io.junction.provider.openstack.internal.http.Tls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** The AMQP 0-9-1 broker of an {@code amqp} connection: address, TLS, virtual host, account. */
public final class Broker {
    private Broker() {
    }

    /** The virtual host a connection path names: {@code /} when empty, else the path without its leading {@code /}, percent-decoded. */
    public static String virtualHost(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        return URLDecoder.decode(p, StandardCharsets.UTF_8);
    }

    /** A factory for the connection, with the account's password (the client keeps it as a String). */
    public static ConnectionFactory factory(Connection c, String user, char[] password, Duration connectTimeout) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(c.host());
        f.setPort(c.port());
        f.setVirtualHost(virtualHost(c.path()));
        f.setUsername(user);
        f.setPassword(new String(password));
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        f.setConnectionTimeout(ms);
        f.setHandshakeTimeout(Math.max(ms, 10_000));
        f.setRequestedHeartbeat(30);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(5_000);
        if (!c.plainText()) {
            f.useSslProtocol(Tls.context(c.verifyTls(), c.caCertificate(), c.address()));
            if (c.verifyTls()) {
                f.enableHostnameVerification();
            }
        }
        return f;
    }

    /** The typed error for a failure to connect. */
    public static JunctionException failure(Exception e, Connection c, String user) {
        String at = c.address();
        if (has(e, AuthenticationFailureException.class) || has(e, PossibleAuthenticationFailureException.class)) {
            return new AuthenticationException("the AMQP broker at " + at + " refused user '" + user + "' on virtual host '"
                    + virtualHost(c.path()) + "'; check the user, the password and the connection's path (the virtual host)", e);
        }
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class) || has(e, CertificateException.class)) {
            return new TlsTrustException("the TLS certificate of the AMQP broker at " + at + " is not trusted (" + root(e)
                    + "); give the connection its CA certificate, or turn verification off", e);
        }
        if (has(e, SSLException.class)) {
            return new UnreachableException("TLS with the AMQP broker at " + at + " failed: " + root(e)
                    + " (does the port speak amqps?)", e);
        }
        if (has(e, UnknownHostException.class)) {
            return new UnreachableException("unknown host " + c.host(), e);
        }
        if (has(e, ConnectException.class)) {
            return new UnreachableException("cannot connect to the AMQP broker at " + at + ": " + root(e), e);
        }
        if (has(e, SocketTimeoutException.class) || e instanceof TimeoutException) {
            return new UnreachableException("the AMQP broker at " + at + " did not answer in time", e);
        }
        ShutdownSignalException shutdown = cause(e, ShutdownSignalException.class);
        if (shutdown != null && wentAway(shutdown)) {
            return new UnreachableException("the AMQP broker at " + at + " went away: " + root(e), e);
        }
        if (shutdown != null) {
            return new ProviderException("the AMQP broker at " + at + " closed the connection: " + shutdown.getMessage(), e);
        }
        if (e instanceof IOException) {
            return new UnreachableException("talking to the AMQP broker at " + at + " failed: " + root(e), e);
        }
        return new ProviderException("the AMQP broker at " + at + " failed: " + root(e), e);
    }

    /**
     * Whether a connection ended because its broker went away: lost (reset, timed out, missed
     * heartbeats: no close from the broker), or closed by the broker with {@code connection-forced}
     * (320), what a broker sends to its clients as it shuts down. Other closes by the broker (access
     * refused, a protocol error) are answers, not absence.
     */
    static boolean wentAway(ShutdownSignalException signal) {
        if (!signal.isHardError() || signal.isInitiatedByApplication()) {
            return false;
        }
        Object reason = signal.getReason();
        if (reason == null) {
            return true;
        }
        return reason instanceof AMQP.Connection.Close close && close.getReplyCode() == AMQP.CONNECTION_FORCED;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String root(Throwable e) {
        return UnreachableException.reason(e);
    }
}
