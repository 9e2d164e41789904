package io.junction.itests;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The refresh and event pipelines of {@link InventoryPipelineIT}, the same tests, on a PostgreSQL
 * server (started for this class on loopback, stopped with the JVM) named by
 * {@code etc/io.junction.database.cfg}, as an operator would configure it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InventoryPipelinePostgresIT extends InventoryPipelineIT {
    @Override
    @Configuration
    public Option[] config() {
        Path home = JunctionDistribution.freshHome("inventory-pipeline-postgresql");
        // Statements give up after 5 s when they wait for a lock, set for every connection by the
        // URL: the pool's connections are open before a test could set it.
        TestPostgres.configure(home, "options=-c%20lock_timeout=5s");
        return JunctionDistribution.options(home);
    }

    @Override
    protected void lockTimeout(DataSource database, String seconds) {
        // set for the whole database in the URL (see config)
    }
}
