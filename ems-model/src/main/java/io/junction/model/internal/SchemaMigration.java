package io.junction.model.internal;

import io.junction.api.JunctionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Brings the database schema to the version this bundle needs, one script per version
 * ({@code schema-vN.sql}), each applied in one transaction and recorded in {@code JN_SCHEMA}.
 * The scripts are written once, in Derby's SQL; {@link Dialect#schema} spells their types for
 * another database, and a script whose text must differ there has its own file beside it
 * ({@code schema-vN.postgresql.sql}).
 */
final class SchemaMigration {
    /** The schema version this bundle reads and writes. */
    static final int CURRENT = 6;

    private SchemaMigration() {
    }

    /** @return the version found before migrating (0 for an empty database) */
    static int migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(c.getMetaData().getURL());
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int found = currentVersion(c);
                if (found > CURRENT) {
                    throw new JunctionException("the database has schema version " + found
                            + ", newer than this Junction understands (" + CURRENT + ")");
                }
                for (int v = found + 1; v <= CURRENT; v++) {
                    try (Statement s = c.createStatement()) {
                        for (String sql : statements(v, dialect)) {
                            s.execute(sql);
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO JN_SCHEMA (VERSION, APPLIED) VALUES (?, ?)")) {
                        p.setInt(1, v);
                        p.setTimestamp(2, Timestamp.from(Instant.now()));
                        p.executeUpdate();
                    }
                    c.commit();
                }
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        if (!tableExists(c, "JN_SCHEMA")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE JN_SCHEMA (VERSION INT NOT NULL PRIMARY KEY, APPLIED TIMESTAMP NOT NULL)");
            }
            return 0;
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(VERSION) FROM JN_SCHEMA")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet r = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (r.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The statements of a version's script, as Derby reads them. */
    static List<String> statements(int version) {
        return statements(version, Dialect.DERBY);
    }

    /** The statements of a version's script for the database: its own file if it has one, else the common one translated. */
    static List<String> statements(int version, Dialect dialect) {
        String common = "schema-v" + version + ".sql";
        List<String> own = read(dialect.override(common));
        if (own != null) {
            return own;
        }
        List<String> result = read(common);
        if (result == null) {
            throw new IllegalStateException("missing " + common);
        }
        return result.stream().map(dialect::schema).toList();
    }

    /** @return the statements of the resource, null if there is none */
    private static List<String> read(String resource) {
        try (InputStream in = SchemaMigration.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> result = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.equals(";")) {
                    if (!current.toString().isBlank()) {
                        result.add(current.toString().strip());
                    }
                    current.setLength(0);
                } else if (!l.startsWith("--")) {
                    current.append(line).append('\n');
                }
            }
            if (!current.toString().isBlank()) {
                result.add(current.toString().strip());
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
