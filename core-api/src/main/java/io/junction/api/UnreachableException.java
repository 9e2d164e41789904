package io.junction.api;

/** The server of a connection could not be reached: refused, timed out, unknown host. */
public class UnreachableException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
