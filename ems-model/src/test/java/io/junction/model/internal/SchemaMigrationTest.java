package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationTest {
    @TempDir
    Path dir;

    @Test
    void scriptSplitsIntoStatements() {
        List<String> statements = SchemaMigration.statements(1);
        assertEquals(4, statements.size());
        assertTrue(statements.get(0).startsWith("CREATE TABLE jn_ems"));
    }

    @Test
    void migratesAnEmptyDatabaseOnceAndThenLeavesItAlone() throws Exception {
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        assertEquals(0, SchemaMigration.migrate(ds));
        assertEquals(SchemaMigration.CURRENT, SchemaMigration.migrate(ds));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM JN_SCHEMA")) {
            r.next();
            assertEquals(SchemaMigration.CURRENT, r.getInt(1));
        }
    }
}
