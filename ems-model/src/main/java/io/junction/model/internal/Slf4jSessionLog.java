package io.junction.model.internal;

import org.eclipse.persistence.logging.AbstractSessionLog;
import org.eclipse.persistence.logging.SessionLog;
import org.eclipse.persistence.logging.SessionLogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends EclipseLink's log to SLF4J, so it lands in Junction's log file instead of stdout.
 * Named in persistence.xml ({@code eclipselink.logging.logger}).
 */
public class Slf4jSessionLog extends AbstractSessionLog {
    private static final String PREFIX = "org.eclipse.persistence.";

    @Override
    public void log(SessionLogEntry entry) {
        if (!shouldLog(entry.getLevel(), entry.getNameSpace())) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(PREFIX + (entry.getNameSpace() == null ? "default" : entry.getNameSpace()));
        String message = formatMessage(entry);
        Throwable error = entry.getException();
        switch (entry.getLevel()) {
            case SessionLog.SEVERE -> logger.error(message, error);
            case SessionLog.WARNING -> logger.warn(message, error);
            case SessionLog.INFO, SessionLog.CONFIG -> logger.info(message, error);
            default -> logger.debug(message, error);
        }
    }
}
