package io.junction.api;

/**
 * Base of Junction's typed errors. The message is written for the operator: one line that
 * names the problem and, where it helps, what to do. It never contains a secret.
 */
public class JunctionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JunctionException(String message) {
        super(message);
    }

    public JunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
