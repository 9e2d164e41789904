package io.junction.model.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What differs between the databases Junction runs on, and only that: the schema scripts, the
 * JDBC stores and JPA otherwise use the same SQL on both. The database is told by its JDBC URL.
 */
enum Dialect {
    /** Embedded (or network) Derby: the default, one process. */
    DERBY("org.apache.derby.jdbc.EmbeddedDriver", "org.eclipse.persistence.platform.database.DerbyPlatform", " FROM SYSIBM.SYSDUMMY1",
            // whole seconds are enough where one node owns everything
            "(CAST({fn TIMESTAMPDIFF(SQL_TSI_SECOND, TIMESTAMP('1970-01-01 00:00:00'), CURRENT_TIMESTAMP)} AS BIGINT) * 1000)") {
        @Override
        String schema(String ddl) {
            return ddl;
        }
    },
    /** A PostgreSQL server, shared by Junction nodes. */
    POSTGRESQL("org.postgresql.Driver", "org.eclipse.persistence.platform.database.PostgreSQLPlatform", "",
            // the clock now, not the transaction's start
            "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)") {
        @Override
        String schema(String ddl) {
            // Derby's binary strings are PostgreSQL's BYTEA, which has no length.
            return BIT_DATA.matcher(ddl).replaceAll("BYTEA");
        }

        @Override
        String skipTaken(String uniqueColumns) {
            return " ON CONFLICT (" + uniqueColumns + ") DO NOTHING";
        }
    };

    private static final Pattern BIT_DATA = Pattern.compile("(?i)VARCHAR\\s*\\(\\s*\\d+\\s*\\)\\s+FOR\\s+BIT\\s+DATA");

    private final String driverClass;
    private final String eclipseLinkPlatform;
    private final String noTable;
    private final String nowMillis;

    Dialect(String driverClass, String eclipseLinkPlatform, String noTable, String nowMillis) {
        this.driverClass = driverClass;
        this.eclipseLinkPlatform = eclipseLinkPlatform;
        this.noTable = noTable;
        this.nowMillis = nowMillis;
    }

    /** The dialect of a JDBC URL; a URL of another database is refused with a one-line error. */
    static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.strip().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:derby:")) {
            return DERBY;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        int end = url.indexOf(':', "jdbc:".length());
        throw new IllegalArgumentException("unsupported database URL (jdbc:derby: or jdbc:postgresql: only): "
                + (url.startsWith("jdbc:") && end > 0 ? jdbcUrl.strip().substring(0, end + 1) + "…" : "not a JDBC URL"));
    }

    /** The dialect of the database a connection is open on. */
    static Dialect of(java.sql.Connection connection) throws java.sql.SQLException {
        return of(connection.getMetaData().getURL());
    }

    /** The {@code osgi.jdbc.driver.class} of the DataSourceFactory that opens this database. */
    String driverClass() {
        return driverClass;
    }

    /** EclipseLink's platform class for this database (what {@code eclipselink.target-database} names). */
    String eclipseLinkPlatform() {
        return eclipseLinkPlatform;
    }

    /**
     * What follows {@code SELECT expressions} when there is no table to select from: Derby needs
     * its one-row table, PostgreSQL takes nothing.
     */
    String fromNoTable() {
        return noTable;
    }

    /**
     * The database's clock as milliseconds since the epoch, an SQL expression: what leases and
     * heartbeats are measured with, so that nodes never compare their own clocks (nor time zones).
     */
    String nowMillis() {
        return nowMillis;
    }

    /** A schema script's statement as this database spells it (the scripts are written in Derby's SQL). */
    abstract String schema(String ddl);

    /**
     * What follows an insert's {@code VALUES (…)} so that a row whose unique key (these columns) is
     * taken is left out, its update count 0, without failing the statement or the transaction; null
     * where the database has no such clause (Derby).
     */
    String skipTaken(String uniqueColumns) {
        return null;
    }

    /** The resource holding a schema script's text when this database needs its own, e.g. {@code schema-v4.postgresql.sql}. */
    String override(String resource) {
        return resource.replace(".sql", "." + name().toLowerCase(Locale.ROOT) + ".sql");
    }
}
