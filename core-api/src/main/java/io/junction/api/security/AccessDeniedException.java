package io.junction.api.security;

import io.junction.api.JunctionException;

/** A caller tried something their role does not allow; nothing was changed. */
public class AccessDeniedException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final Role required;

    public AccessDeniedException(String action, Role required) {
        super("denied: " + action + " needs role " + required.id());
        this.required = required;
    }

    /** The role the action needs. */
    public Role required() {
        return required;
    }
}
