package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.junction.api.ConflictException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class JdbcErrorsTest {
    private static final SQLException LOCK_TIMEOUT = new SQLException("A lock could not be obtained within the time requested", "40XL1");

    @Test
    void aWriteSaysNothingWasWrittenAndAReadDoesNot() {
        assertEquals("the database is busy (lock timeout or deadlock) while storing events; nothing was written, try again",
                JdbcErrors.translate("storing events", LOCK_TIMEOUT).getMessage());
        assertEquals("the database is busy (lock timeout or deadlock) while listing VMs (a change being written, such as a refresh,"
                + " holds the rows); try again", JdbcErrors.translateRead("listing VMs", LOCK_TIMEOUT).getMessage());
        assertEquals("database error while listing VMs: Table/View 'JN_X' does not exist.",
                JdbcErrors.translateRead("listing VMs", new SQLException("Table/View 'JN_X' does not exist.\nmore", "42X05")).getMessage());
    }

    @Test
    void aRefusedConstraintIsAConflict() {
        assertInstanceOf(ConflictException.class, JdbcErrors.translate("adding", new SQLException("duplicate key", "23505")));
    }
}
