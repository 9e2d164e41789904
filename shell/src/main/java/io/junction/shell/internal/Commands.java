package io.junction.shell.internal;

import io.junction.api.JunctionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every command runs its body. */
final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private Commands() {
    }

    /**
     * Runs a command body. Junction errors pass through as they are (one line for the operator);
     * anything else is a bug or an outage: its trace goes to the log, the shell gets one line.
     */
    static String run(String command, Supplier<String> body) {
        try {
            return body.get();
        } catch (JunctionException e) {
            LOG.debug("{} refused: {}", command, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} failed", command, e);
            // The operator reads what happened; the exception's class is for the log.
            String message = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
            throw new JunctionException(command + " failed unexpectedly" + (message.isEmpty() ? "" : ": " + message)
                    + " (details in data/log/junction.log)", e);
        }
    }
}
