package io.junction.model.internal;

import java.nio.file.Path;
import java.sql.Connection;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC stores on a real embedded Derby database. */
class JdbcStoresTest extends JdbcStoresContract {
    @TempDir
    static Path dir;

    @Override
    DataSource emptyDatabase() {
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        return ds;
    }

    @Override
    void lockTimeout(DataSource ds, String seconds) throws Exception {
        try (Connection c = ds.getConnection(); var call = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            call.setString(1, "derby.locks.waitTimeout");
            call.setString(2, seconds);
            call.execute();
        }
    }

    @Override
    String lockVmTableAgainstReaders() {
        return "LOCK TABLE JN_VM IN EXCLUSIVE MODE";
    }
}
