package io.junction.model.internal;

import io.junction.api.JunctionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the database the {@code junction} persistence unit runs on, brings its schema up to date,
 * and only then publishes it as the DataSource that persistence.xml names, so nothing ever sees an
 * old schema. The database (embedded Derby by default, or a PostgreSQL server) and its driver
 * follow from the configured URL. A server that cannot be reached, refuses the login or holds a
 * schema newer than this Junction is said in one line, and tried again until it works: Junction
 * becomes ready when the database comes back.
 */
@Component(service = {}, immediate = true, configurationPid = DatabaseConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfiguration.class)
public class DataSourceComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourceComponent.class);

    /**
     * Rows a transaction may hold locked in one table before Derby locks the whole table instead.
     * Derby's default, 5,000, turns every large refresh into a lock on all of JN_VM, and readers of
     * every other EMS then wait until it commits. Each row lock takes about 350 bytes of heap
     * (measured with benchmarks/refresh.sh), so 200,000 of them about 70 MB.
     * A JVM system property of the same name still wins, as Derby reads them first.
     */
    static final String LOCK_ESCALATION_THRESHOLD = "200000";
    /** Seconds between attempts to open the database: doubling from the first to the last. */
    static final long FIRST_RETRY_SECONDS = 2;
    static final long LAST_RETRY_SECONDS = 30;

    private BundleContext context;
    private DatabaseConfiguration config;
    private String url;
    private Dialect dialect;
    private ServiceTracker<DataSourceFactory, DataSourceFactory> factories;
    private ScheduledExecutorService opener;
    private long retrySeconds = FIRST_RETRY_SECONDS;
    private String lastProblem;
    // written by the opener thread, read by deactivate after the opener stopped
    private volatile DataSource opened;
    private volatile DataSourceFactory openedBy;
    private volatile ServiceRegistration<DataSource> registration;
    /** While the database cannot be opened: says why, for the launcher's "not ready" line. */
    private ServiceRegistration<Object> unready;

    @Activate
    void activate(BundleContext context, DatabaseConfiguration config) throws InvalidSyntaxException {
        this.context = context;
        this.config = config;
        Path home = JunctionHome.of(context);
        url = config.url().isBlank() ? "jdbc:derby:" + home.resolve("data").resolve("derby") + ";create=true" : config.url().strip();
        try {
            dialect = Dialect.of(url);
        } catch (IllegalArgumentException e) {
            // nothing to try again until the configuration changes (which activates anew)
            problem("cannot open the Junction database: " + e.getMessage() + " (etc/" + DatabaseConfiguration.PID + ".cfg, url)", null);
            return;
        }
        if (dialect == Dialect.DERBY && System.getProperty("derby.stream.error.file") == null) {
            // Derby reads this once at boot; without it, derby.log lands in the working directory.
            System.setProperty("derby.stream.error.file", home.resolve("data").resolve("log").resolve("derby.log").toString());
        }
        String target = config.dataSourceFactory_target().isBlank()
                ? "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + dialect.driverClass() + ")" : config.dataSourceFactory_target().strip();
        opener = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-database");
            t.setDaemon(true);
            return t;
        });
        factories = new ServiceTracker<>(context, context.createFilter(
                "(&(" + Constants.OBJECTCLASS + "=" + DataSourceFactory.class.getName() + ")" + target + ")"), null) {
            @Override
            public DataSourceFactory addingService(ServiceReference<DataSourceFactory> reference) {
                DataSourceFactory factory = super.addingService(reference);
                // the driver came (or came back): try now rather than at the next retry; with this
                // factory, as the tracker only counts it once this method returned
                opener.execute(() -> DataSourceComponent.this.open(factory));
                return factory;
            }
        };
        factories.open();
        // The driver's bundle may well start after this one: only a driver still missing later is news.
        opener.schedule(() -> {
            if (factories.isEmpty()) {
                problem("no JDBC driver for " + redacted() + ": waiting for a DataSourceFactory " + target, null);
            }
        }, LAST_RETRY_SECONDS, TimeUnit.SECONDS);
    }

    /** One attempt to open the database; on failure the next is scheduled. Runs on the opener thread only. */
    private void open() {
        DataSourceFactory factory = factories.getService();
        if (factory != null) {
            open(factory);
        }
    }

    private void open(DataSourceFactory factory) {
        if (registration != null || opener.isShutdown()) {
            return;
        }
        DataSource driver;
        try {
            driver = factory.createDataSource(properties(url));
            int before = SchemaMigration.migrate(driver);
            if (before < SchemaMigration.CURRENT) {
                LOG.info("Database schema brought from version {} to {} at {}", before, SchemaMigration.CURRENT, redacted());
            }
        } catch (SQLException | RuntimeException e) {
            problem(describe(e), e);
            long delay = retrySeconds;
            retrySeconds = Math.min(LAST_RETRY_SECONDS, retrySeconds * 2);
            opener.schedule(() -> open(), delay, TimeUnit.SECONDS);
            return;
        }
        openedBy = factory;
        if (dialect == Dialect.DERBY) {
            setDatabaseProperty(driver, "derby.locks.escalationThreshold", LOCK_ESCALATION_THRESHOLD);
            opened = driver;
        } else {
            opened = ConnectionPool.over(driver, config.poolSize());
        }
        if (lastProblem != null) {
            LOG.info("The Junction database at {} is open", redacted());
        }
        retrySeconds = FIRST_RETRY_SECONDS;
        solved();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.jndi.service.name", "junction");
        props.put("junction.database", dialect.name().toLowerCase(java.util.Locale.ROOT));
        registration = context.registerService(DataSource.class, new JunctionDataSource(opened, dialect), props);
    }

    private Properties properties(String jdbcUrl) {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, jdbcUrl);
        if (!config.user().isBlank()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        return props;
    }

    /** Logs a problem once while it lasts: the first time with its trace, a repeat not at all. */
    private synchronized void problem(String line, Throwable cause) {
        if (line.equals(lastProblem)) {
            return;
        }
        lastProblem = line;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("junction.unready", line);
        if (unready == null) {
            unready = context.registerService(Object.class, new Object(), props);
        } else {
            unready.setProperties(props);
        }
        if (cause == null) {
            LOG.warn("{}", line);
        } else {
            LOG.error("{}; trying again", line, cause);
        }
    }

    private synchronized void solved() {
        lastProblem = null;
        if (unready != null) {
            unready.unregister();
            unready = null;
        }
    }

    /** The one line an operator needs: which database, and what is wrong with it. */
    String describe(Throwable e) {
        String at = "cannot open the Junction database at " + redacted();
        if (e instanceof JunctionException) {
            return at + ": " + e.getMessage();
        }
        String state = e instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "";
        String message = JdbcErrors.firstLine(String.valueOf(e.getMessage()));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return at + ": the server is unreachable (" + JdbcErrors.firstLine(String.valueOf(t.getMessage())) + ")";
            }
        }
        if (state.startsWith("08")) {
            return at + ": the server is unreachable (" + message + ")";
        }
        if (state.startsWith("28")) {
            return at + ": the server refused the login" + (config.user().isBlank() ? "" : " of user " + config.user())
                    + " (" + message + ")";
        }
        return at + ": " + message + (state.isEmpty() ? "" : " (SQLState " + state + ")");
    }

    /** A Derby database property, kept in the database; left as it is (and said) when Derby refuses. */
    private void setDatabaseProperty(DataSource ds, String key, String value) {
        try (Connection c = ds.getConnection();
             CallableStatement s = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            s.setString(1, key);
            s.setString(2, value);
            s.execute();
        } catch (SQLException e) {
            LOG.warn("Could not set {} of the database at {}: {}", key, redacted(), e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (opener != null) {
            opener.shutdownNow();
            opener.awaitTermination(30, TimeUnit.SECONDS);
        }
        solved();
        ServiceRegistration<DataSource> r = registration;
        if (r != null) {
            registration = null;
            r.unregister();
        }
        DataSource ds = opened;
        opened = null;
        if (ds != null && dialect == Dialect.POSTGRESQL) {
            ConnectionPool.close(ds);
        }
        // An embedded Derby database is only consistent on disk after an orderly shutdown.
        if (ds != null && dialect == Dialect.DERBY && !url.startsWith("jdbc:derby://")) {
            shutDownDerby(openedBy);
        }
        if (factories != null) {
            factories.close();
        }
    }

    private void shutDownDerby(DataSourceFactory factory) {
        String base = url.contains(";") ? url.substring(0, url.indexOf(';')) : url;
        Properties props = new Properties();
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

    private String redacted() {
        // URLs may carry a password (jdbc:...;password=... or ?password=...); never log it.
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }
}
