package io.junction.api;

/** Input that Junction refuses: a malformed value, an unknown type or role, a missing secret. */
public class InvalidInputException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
