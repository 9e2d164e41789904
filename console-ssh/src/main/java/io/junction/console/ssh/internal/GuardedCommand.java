package io.junction.console.ssh.internal;

import io.junction.api.security.AccessDeniedException;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A command function as a remote session sees it: Gogo's proxy to the command service, which first
 * checks the session's caller against the role the function needs, then answers {@code --help} as
 * every door does ({@link UsageCommand}). (Extending the proxy keeps Gogo's {@code help}, which looks
 * through proxies at the command's methods, working.) Gogo's {@code help} itself shows a caller only
 * what they may run.
 */
final class GuardedCommand extends UsageCommand {
    private final Role required;
    private final RemoteCommandProcessor processor;

    GuardedCommand(BundleContext context, ServiceReference<?> reference, String scope, String function, Role required,
                   RemoteCommandProcessor processor) {
        super(context, reference, scope, function);
        this.required = required;
        this.processor = processor;
    }

    Role required() {
        return required;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        Caller caller = processor.callerOf(session);
        if (caller == null || !caller.role().includes(required)) {
            throw new AccessDeniedException(name(), required);
        }
        if (name().equals(HELP_FUNCTION)) {
            return processor.help(caller, session, arguments, super::execute);
        }
        return super.execute(session, arguments);
    }
}
