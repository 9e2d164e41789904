package io.junction.api;

/** The server's TLS certificate is not trusted (unknown CA, wrong host name, expired). */
public class TlsTrustException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public TlsTrustException(String message) {
        super(message);
    }

    public TlsTrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
