package io.junction.provider.openstack.internal.http;

import io.junction.api.JunctionException;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Turns I/O failures of the JDK HTTP client into Junction's typed errors. */
public final class HttpFailures {
    private HttpFailures() {
    }

    public static JunctionException of(IOException e, Endpoint endpoint, String what) {
        String at = endpoint.address();
        if (hasCause(e, CertPathBuilderException.class) || hasCause(e, CertPathValidatorException.class)
                || hasCause(e, CertificateException.class)) {
            String m = rootMessage(e);
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return new TlsTrustException("the TLS certificate of " + at + " does not match the host name (" + m
                        + "); connect with the name in the certificate, or turn verification off", e);
            }
            return new TlsTrustException("the TLS certificate of " + at + " is not trusted (" + m
                    + "); give the connection its CA certificate, or turn verification off", e);
        }
        if (e instanceof SSLHandshakeException || hasCause(e, SSLHandshakeException.class)) {
            return new UnreachableException("TLS handshake with " + at + " failed: " + rootMessage(e), e);
        }
        if (hasCause(e, SSLException.class)) {
            return new UnreachableException("TLS with " + at + " failed: " + rootMessage(e) + " (does the port speak HTTPS?)", e);
        }
        if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
            return new UnreachableException("unknown host " + endpoint.base().getHost(), e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new UnreachableException("connecting to " + at + " timed out after " + endpoint.connectTimeout().toMillis() + " ms", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new UnreachableException(what + " at " + at + " did not answer within " + endpoint.operationTimeout().toSeconds() + " s", e);
        }
        if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)) {
            return new UnreachableException("cannot connect to " + at + ": " + rootMessage(e), e);
        }
        return new UnreachableException("talking to " + what + " at " + at + " failed: " + rootMessage(e), e);
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        return UnreachableException.reason(e);
    }
}
