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
    void connectionsOfAVersion2DatabaseDoNotAllowBasicOverHttp() throws Exception {
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("v2").toString());
        ds.setCreateDatabase("create");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE JN_SCHEMA (VERSION INT NOT NULL PRIMARY KEY, APPLIED TIMESTAMP NOT NULL)");
            for (int v = 1; v <= 2; v++) {
                for (String sql : SchemaMigration.statements(v)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO JN_SCHEMA (VERSION, APPLIED) VALUES (" + v + ", CURRENT_TIMESTAMP)");
            }
            s.execute("INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('sc1', 'microsoft', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, DEFAULT_FOR_ROLE, DISCOVERED, CREATED)"
                    + " SELECT ID, 'scvmm', 'vmm01', 5985, 'http', '', TRUE, TRUE, FALSE, CURRENT_TIMESTAMP FROM JN_EMS");
        }
        assertEquals(2, SchemaMigration.migrate(ds));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT ALLOW_BASIC_OVER_HTTP FROM JN_CONNECTION")) {
            assertTrue(r.next());
            assertEquals(false, r.getBoolean(1));
        }
    }

    @Test
    void connectionsOfAVersion3DatabaseKeepTheirOrderAsPriorities() throws Exception {
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("v3").toString());
        ds.setCreateDatabase("create");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE JN_SCHEMA (VERSION INT NOT NULL PRIMARY KEY, APPLIED TIMESTAMP NOT NULL)");
            for (int v = 1; v <= 3; v++) {
                for (String sql : SchemaMigration.statements(v)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO JN_SCHEMA (VERSION, APPLIED) VALUES (" + v + ", CURRENT_TIMESTAMP)");
            }
            s.execute("INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('sc1', 'microsoft', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('sc2', 'microsoft', CURRENT_TIMESTAMP)");
            // sc1 has three scvmm connections, the default added second, and one scom; sc2 one scvmm.
            String insert = "INSERT INTO JN_CONNECTION (EMS_ID, ROLE, HOST, PORT, SCHEME, PATH, VERIFY_TLS, DEFAULT_FOR_ROLE,"
                    + " DISCOVERED, CREATED) SELECT ID, '%s', '%s', 5986, 'https', '', TRUE, %s, FALSE, CURRENT_TIMESTAMP"
                    + " FROM JN_EMS WHERE NAME = '%s'";
            s.execute(String.format(insert, "scvmm", "vmm-a", "FALSE", "sc1"));
            s.execute(String.format(insert, "scvmm", "vmm-b", "TRUE", "sc1"));
            s.execute(String.format(insert, "scvmm", "vmm-c", "FALSE", "sc1"));
            s.execute(String.format(insert, "scom", "scom-a", "TRUE", "sc1"));
            s.execute(String.format(insert, "scvmm", "vmm-z", "TRUE", "sc2"));
        }
        assertEquals(3, SchemaMigration.migrate(ds));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT HOST, PRIORITY FROM JN_CONNECTION ORDER BY HOST")) {
            StringBuilder found = new StringBuilder();
            while (r.next()) {
                found.append(r.getString(1)).append('=').append(r.getInt(2)).append(' ');
            }
            assertEquals("scom-a=1 vmm-a=2 vmm-b=1 vmm-c=3 vmm-z=1 ", found.toString());
        }
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
