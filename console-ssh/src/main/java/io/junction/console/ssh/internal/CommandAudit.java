package io.junction.console.ssh.internal;

import io.junction.api.security.AccessDeniedException;
import io.junction.api.security.AuditTrail;
import io.junction.api.security.Caller;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;

/**
 * Appends every command line a console session executes to the audit trail, with its caller and
 * outcome. Gogo calls it around each {@code execute}, whatever door the session belongs to.
 */
class CommandAudit implements CommandSessionListener {
    private final AuditTrail trail;
    private final Function<CommandSession, Caller> callers;

    CommandAudit(AuditTrail trail, Function<CommandSession, Caller> callers) {
        this.trail = trail;
        this.callers = callers;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        record(session, command, denied(exception) ? AuditTrail.DENIED : AuditTrail.ERROR);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        record(session, command, AuditTrail.OK);
    }

    private void record(CommandSession session, CharSequence command, String outcome) {
        String line = command == null ? "" : command.toString().strip();
        // Scripts the console itself runs (Gogo's login profile, completion helpers) are not operator commands.
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("__") || line.startsWith("$")) {
            return;
        }
        Caller caller = callers.apply(session);
        if (caller != null) {
            trail.record(AuditTrail.Entry.of(caller, line, outcome));
        }
    }

    private static boolean denied(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < 20; c = c.getCause()) {
            if (c instanceof AccessDeniedException) {
                return true;
            }
        }
        return false;
    }
}
