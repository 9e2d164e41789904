package io.junction.api;

/** The server refused the credential (wrong user or secret, or the account may not do this). */
public class AuthenticationException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
