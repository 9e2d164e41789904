package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialectTest {
    @Test
    void theDatabaseFollowsFromTheUrl() {
        assertEquals(Dialect.DERBY, Dialect.of("jdbc:derby:/opt/junction/data/derby;create=true"));
        assertEquals(Dialect.POSTGRESQL, Dialect.of(" jdbc:postgresql://db.example:5432/junction"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialect.of("jdbc:mysql://db/junction?password=secret"));
        assertEquals("unsupported database URL (jdbc:derby: or jdbc:postgresql: only): jdbc:mysql:…", e.getMessage());
        assertEquals("unsupported database URL (jdbc:derby: or jdbc:postgresql: only): not a JDBC URL",
                assertThrows(IllegalArgumentException.class, () -> Dialect.of("postgres://x")).getMessage());
    }

    @Test
    void binaryStringsBecomeByteaOnPostgresqlOnly() {
        List<String> v1 = SchemaMigration.statements(1, Dialect.POSTGRESQL);
        String auth = v1.stream().filter(s -> s.startsWith("CREATE TABLE jn_authentication")).findFirst().orElseThrow();
        assertTrue(auth.contains("secret BYTEA NOT NULL"), auth);
        assertTrue(SchemaMigration.statements(1).stream().anyMatch(s -> s.contains("secret VARCHAR(16384) FOR BIT DATA NOT NULL")));
        assertEquals(SchemaMigration.statements(2), SchemaMigration.statements(2, Dialect.POSTGRESQL), "nothing else differs");
    }

    @Test
    void onlyPostgresqlSkipsARowWhoseKeyIsTaken() {
        assertEquals(" ON CONFLICT (EMS_ID, SOURCE) DO NOTHING", Dialect.POSTGRESQL.skipTaken("EMS_ID, SOURCE"));
        assertNull(Dialect.DERBY.skipTaken("EMS_ID, SOURCE"));
    }
}
