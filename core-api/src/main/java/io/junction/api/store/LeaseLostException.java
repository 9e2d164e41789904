package io.junction.api.store;

import io.junction.api.JunctionException;

/** A fenced write was refused: the lease it was made under is held by another node or another take-over now. Nothing was written. */
public class LeaseLostException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }
}
