package io.junction.model.internal;

import io.junction.api.JunctionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.LoggerFactory;

/**
 * The database the {@code junction} persistence unit runs on, published as the DataSource that
 * persistence.xml names. It brings the schema up to date before anyone can use it.
 */
@Component(service = DataSource.class, configurationPid = DatabaseConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "osgi.jndi.service.name=junction")
@Designate(ocd = DatabaseConfiguration.class)
public class DataSourceComponent implements DataSource {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(DataSourceComponent.class);

    @Reference(name = "dataSourceFactory")
    private DataSourceFactory factory;

    /**
     * Rows a transaction may hold locked in one table before Derby locks the whole table instead.
     * Derby's default, 5,000, turns every large refresh into a lock on all of JN_VM, and readers of
     * every other EMS then wait until it commits. Each row lock takes about 350 bytes of heap
     * (measured with benchmarks/refresh.sh), so 200,000 of them about 70 MB.
     * A JVM system property of the same name still wins, as Derby reads them first.
     */
    static final String LOCK_ESCALATION_THRESHOLD = "200000";

    private DataSource delegate;
    private String url;

    @Activate
    void activate(BundleContext context, DatabaseConfiguration config) throws SQLException {
        Path home = JunctionHome.of(context);
        url = config.url().isBlank() ? "jdbc:derby:" + home.resolve("data").resolve("derby") + ";create=true" : config.url().strip();
        if (url.startsWith("jdbc:derby:") && System.getProperty("derby.stream.error.file") == null) {
            // Derby reads this once at boot; without it, derby.log lands in the working directory.
            System.setProperty("derby.stream.error.file", home.resolve("data").resolve("log").resolve("derby.log").toString());
        }
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        delegate = factory.createDataSource(props);
        try {
            int before = SchemaMigration.migrate(delegate);
            if (before < SchemaMigration.CURRENT) {
                LOG.info("Database schema brought from version {} to {} at {}", before, SchemaMigration.CURRENT, redacted());
            }
        } catch (SQLException | JunctionException e) {
            LOG.error("Cannot open the Junction database at {}: {}", redacted(), e.getMessage(), e);
            throw e;
        }
        if (url.startsWith("jdbc:derby:")) {
            setDatabaseProperty("derby.locks.escalationThreshold", LOCK_ESCALATION_THRESHOLD);
        }
    }

    /** A Derby database property, kept in the database; left as it is (and said) when Derby refuses. */
    private void setDatabaseProperty(String key, String value) {
        try (Connection c = delegate.getConnection();
             CallableStatement s = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            s.setString(1, key);
            s.setString(2, value);
            s.execute();
        } catch (SQLException e) {
            LOG.warn("Could not set {} of the database at {}: {}", key, redacted(), e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        // An embedded Derby database is only consistent on disk after an orderly shutdown.
        if (url != null && url.startsWith("jdbc:derby:") && !url.startsWith("jdbc:derby://")) {
            Properties props = new Properties();
            String base = url.contains(";") ? url.substring(0, url.indexOf(';')) : url;
            props.setProperty(DataSourceFactory.JDBC_URL, base + ";shutdown=true");
            try (Connection ignored = factory.createDataSource(props).getConnection()) {
                LOG.warn("Derby did not confirm the shutdown of {}", base);
            } catch (SQLException expected) {
                // Derby reports a clean shutdown of one database with SQLState 08006.
                if (!"08006".equals(expected.getSQLState())) {
                    LOG.warn("Derby shutdown of {} reported: {}", base, expected.getMessage());
                }
            }
        }
        delegate = null;
    }

    private String redacted() {
        // URLs may carry a password (jdbc:...;password=...); never log it.
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
