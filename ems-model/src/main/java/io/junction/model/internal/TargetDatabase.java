package io.junction.model.internal;

import javax.sql.DataSource;
import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;

/**
 * Sets EclipseLink's database platform (what {@code eclipselink.target-database} would) from the
 * JDBC URL Junction was configured with, as persistence.xml cannot know it. Named in persistence.xml
 * ({@code eclipselink.session.customizer}).
 */
public class TargetDatabase implements SessionCustomizer {
    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login && login.getConnector() instanceof JNDIConnector jndi) {
            DataSource ds = jndi.getDataSource();
            if (ds instanceof JunctionDataSource junction) {
                login.setPlatformClassName(junction.dialect().eclipseLinkPlatform());
            }
        }
    }
}
