package io.junction.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain JDBC queries and updates on a DataSource, with errors turned into Junction errors. */
final class Jdbc {
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private volatile Dialect dialect;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The dialect of the database, asked of the first connection and then remembered. */
    Dialect dialect() {
        Dialect known = dialect;
        if (known == null) {
            known = run("opening the database", Dialect::of, false);
            dialect = known;
        }
        return known;
    }

    /** Rows of a query, at most {@code limit} of them (0: all). */
    <T> List<T> query(String doing, String sql, Binder binder, int limit, Row<T> row) {
        return run(doing, c -> query(c, sql, binder, limit, row), false);
    }

    static <T> List<T> query(Connection c, String sql, Binder binder, int limit, Row<T> row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            if (limit > 0) {
                s.setMaxRows(limit);
            }
            List<T> result = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(row.read(r));
                }
            }
            return result;
        }
    }

    int update(String doing, String sql, Binder binder) {
        return transaction(doing, c -> update(c, sql, binder));
    }

    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            return s.executeUpdate();
        }
    }

    /**
     * Whether the failure, or one chained to it, has the SQLState: a failed batch reports the
     * statement's own failure as the next exception or the cause, depending on the driver.
     */
    static boolean hasState(SQLException failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause() != null ? t.getCause()
                : t instanceof SQLException s ? s.getNextException() : null) {
            if (t instanceof SQLException s && state.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Runs the work in one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(String doing, Work<T> work) {
        return run(doing, work, true);
    }

    private <T> T run(String doing, Work<T> work, boolean writing) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                if (!c.isClosed()) {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw writing ? JdbcErrors.translate(doing, e) : JdbcErrors.translateRead(doing, e);
        }
    }
}
