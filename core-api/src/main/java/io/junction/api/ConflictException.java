package io.junction.api;

/** The change would break a rule of the stored data, such as a duplicate EMS name. */
public class ConflictException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
