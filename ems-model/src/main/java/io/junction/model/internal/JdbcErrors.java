package io.junction.model.internal;

import io.junction.api.ConflictException;
import io.junction.api.JunctionException;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns JDBC failures into one-line Junction errors (the trace goes to the log). */
final class JdbcErrors {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcErrors.class);

    private JdbcErrors() {
    }

    /** A failure while writing: whatever the cause, the transaction was rolled back. */
    static JunctionException translate(String doing, SQLException e) {
        return translate(doing, e, true);
    }

    /** A failure while only reading: nothing to roll back, so nothing to reassure about. */
    static JunctionException translateRead(String doing, SQLException e) {
        return translate(doing, e, false);
    }

    private static JunctionException translate(String doing, SQLException e, boolean writing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = firstLine(String.valueOf(e.getMessage()));
        String written = writing ? "; nothing was written" : "";
        // Derby's lock timeout and deadlock, PostgreSQL's lock timeout and deadlock, and the
        // standard's serialization failure.
        boolean busy = state.equals("40XL1") || state.equals("40XL2") || state.equals("55P03") || state.equals("40P01")
                || state.equals("40001");
        if (busy) {
            // Passing, and what waited is known: a line, not a trace.
            LOG.warn("Database busy while {} (SQLState {}): {}", doing, state, message);
        } else {
            LOG.error("Database error while {} (SQLState {})", doing, state, e);
        }
        if (state.startsWith("23")) {
            return new ConflictException("the database refused " + doing + ": " + message);
        }
        if (busy) {
            return new JunctionException("the database is busy (lock timeout or deadlock) while " + doing
                    + (writing ? written + ", try again" : " (a change being written, such as a refresh, holds the rows); try again"), e);
        }
        if (state.startsWith("XSDG") || state.startsWith("XSLA") || message.contains("space")) {
            return new JunctionException("the database could not write while " + doing + " (disk full?): " + message + written, e);
        }
        return new JunctionException("database error while " + doing + ": " + message + written, e);
    }

    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
