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

    /**
     * {@code error: <message>}: the Gogo console prints a failed command's exception through
     * {@code toString()}, and the operator should read the message, not a Java class name.
     * Logs still name the class (they format the exception themselves).
     */
    @Override
    public String toString() {
        return "error: " + getMessage();
    }
}
