package io.junction.api;

/** The remote side understood the request and said no, with its reason (e.g. the VM is already stopped). */
public class ProviderException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
