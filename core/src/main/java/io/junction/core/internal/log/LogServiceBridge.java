package io.junction.core.internal.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what bundles write to the OSGi Log service (SCR, Configuration Admin, Gogo, framework
 * events) to the runtime's logging, so that it lands in {@code data/log/junction.log} next to
 * everything else. Felix's own bridge (felix.logback 1.0.6, its newest release) is built for
 * logback 1.2 and silently drops every entry with the logback 1.5 that slf4j 2 needs.
 *
 * <p>Logger names: {@code LogService.<bundle symbolic name>}, or the entry's own name when it is
 * one of the framework's event loggers ({@code Events.Bundle}, {@code Events.Service}, ...), so
 * that etc/logback.xml can set their levels.
 */
@Component(immediate = true)
public class LogServiceBridge implements LogListener {
    private static final String EVENTS = "Events.";

    private final LogReaderService reader;

    @Activate
    public LogServiceBridge(@Reference LogReaderService reader) {
        this.reader = reader;
        // Entries logged before this bundle started are still in the reader's history (newest
        // first); pass them on oldest first, then follow the new ones.
        List<LogEntry> earlier = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements(); ) {
            earlier.add(e.nextElement());
        }
        Collections.reverse(earlier);
        earlier.forEach(this::logged);
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        Logger logger = LoggerFactory.getLogger(loggerName(entry));
        String message = entry.getMessage();
        Throwable error = entry.getException();
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> logger.error(message, error);
            case WARN -> logger.warn(message, error);
            case INFO -> logger.info(message, error);
            case DEBUG -> logger.debug(message, error);
            default -> logger.trace(message, error);
        }
    }

    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && name.startsWith(EVENTS)) {
            return name;
        }
        String bundle = entry.getBundle() == null ? null : entry.getBundle().getSymbolicName();
        return "LogService." + (bundle == null ? "unknown" : bundle);
    }
}
