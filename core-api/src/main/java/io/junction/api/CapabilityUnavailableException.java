package io.junction.api;

/**
 * A capability of an EMS cannot be served right now, and the message says why: no service is
 * installed for it, the EMS has no connection of the service's role, or that connection has no
 * credential. Thrown at once, never after a wait.
 */
public class CapabilityUnavailableException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public CapabilityUnavailableException(String message) {
        super(message);
    }
}
