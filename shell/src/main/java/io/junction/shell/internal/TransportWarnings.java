package io.junction.shell.internal;

import io.junction.api.Connection;

/** The loud words for a connection whose transport gives a secret away, shared by ems:connect, ems:show and ems:verify. */
final class TransportWarnings {
    private TransportWarnings() {
    }

    /** The warning for a connection that allows HTTP Basic over plain http, or {@code null} when it does not. */
    static String basicOverHttp(Connection c) {
        if (!c.basicOverHttpAllowed()) {
            return null;
        }
        return "WARNING: " + c.role() + " connection " + c.id() + " (" + c.address() + ") allows Basic authentication over"
                + " plain http (--allow-basic-over-http): the password crosses the network readable by anyone on the path";
    }
}
