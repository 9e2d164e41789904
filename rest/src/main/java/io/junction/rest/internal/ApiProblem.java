package io.junction.rest.internal;

/** A request the API refuses before anything is changed: its status and a one-line detail. */
final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiProblem(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
