package io.junction.api;

/** Something named by the caller (an EMS, a connection, a credential) does not exist. */
public class NotFoundException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
