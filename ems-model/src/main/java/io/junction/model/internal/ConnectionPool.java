package io.junction.model.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * A pool of connections to a database server. The PostgreSQL driver's own DataSource opens a new
 * connection, with its whole login handshake, every time; embedded Derby needs no pool, so this
 * class (and HikariCP with it) is only loaded for a server.
 */
final class ConnectionPool {
    private ConnectionPool() {
    }

    static DataSource over(DataSource driver, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("junction");
        config.setDataSource(driver);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        // The database was reached and migrated just before; if it goes away later, callers get
        // the pool's error and the pool reconnects by itself when it is back.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    static void close(DataSource pool) {
        if (pool instanceof HikariDataSource hikari) {
            hikari.close();
        }
    }
}
