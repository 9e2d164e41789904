package io.junction.console.ssh.internal;

import io.junction.api.security.AccessDeniedException;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.threadio.ThreadIO;

/**
 * The Gogo command processor of remote sessions, apart from the one of the local console: it holds
 * only {@link GuardedCommand}s, no constants (no bundle context to reach the framework through),
 * and refuses to anyone but an admin what Gogo's language can do besides running commands: calling
 * methods on objects and redirecting output to files. Each session is bound to its caller here,
 * where a session variable the user could overwrite plays no part.
 */
final class RemoteCommandProcessor extends CommandProcessorImpl {
    private final Map<CommandSession, Caller> callers = Collections.synchronizedMap(new WeakHashMap<>());

    RemoteCommandProcessor(ThreadIO threadIO) {
        super(threadIO);
    }

    CommandSessionImpl createSession(Caller caller, InputStream in, OutputStream out, OutputStream err) {
        CommandSessionImpl session = createSession(in, out, err);
        callers.put(session, caller);
        return session;
    }

    Caller callerOf(CommandSession session) {
        return session == null ? null : callers.get(session);
    }

    /** The commands the caller may run, for completion and the greeting. */
    Set<String> commandsFor(Caller caller) {
        Set<String> names = new TreeSet<>();
        for (Map.Entry<String, Map<Object, Integer>> e : commands.entrySet()) {
            for (Object target : e.getValue().keySet()) {
                if (target instanceof GuardedCommand g && caller.role().includes(g.required())) {
                    names.add(e.getKey());
                }
            }
        }
        return names;
    }

    /** Gogo's {@code help} function, as the guard calls it. */
    interface HelpFunction {
        Object execute(CommandSession session, List<Object> arguments) throws Exception;
    }

    /**
     * Gogo's {@code help} for a remote caller: the list holds only the commands the caller may run
     * (Gogo's lists every command registered in the framework), and a command they may not run is
     * not described but denied, as running it would be.
     */
    Object help(Caller caller, CommandSession session, List<Object> arguments, HelpFunction gogoHelp) throws Exception {
        Set<String> allowed = commandsFor(caller);
        if (arguments.isEmpty()) {
            // Gogo's list: one scope:function per line
            StringBuilder shown = new StringBuilder();
            String.valueOf(gogoHelp.execute(session, arguments)).lines()
                    .filter(line -> allowed.contains(line.strip().toLowerCase(Locale.ROOT)))
                    .forEach(line -> shown.append(line).append('\n'));
            return shown.toString();
        }
        if (arguments.size() != 1) {
            return gogoHelp.execute(session, arguments);
        }
        String asked = String.valueOf(arguments.get(0)).strip().toLowerCase(Locale.ROOT);
        List<String> named = new ArrayList<>();
        Role needed = null;
        for (Map.Entry<String, Map<Object, Integer>> e : commands.entrySet()) {
            String name = e.getKey();
            if (name.equals(asked) || asked.indexOf(':') < 0 && name.endsWith(":" + asked)) {
                if (allowed.contains(name)) {
                    named.add(name);
                } else {
                    for (Object target : e.getValue().keySet()) {
                        if (target instanceof GuardedCommand g && needed == null) {
                            needed = g.required();
                        }
                    }
                }
            }
        }
        if (named.isEmpty() && needed != null) {
            throw new AccessDeniedException(asked, needed);
        }
        if (named.isEmpty()) {
            return gogoHelp.execute(session, arguments);
        }
        StringBuilder text = new StringBuilder();
        for (String name : new TreeSet<>(named)) {
            text.append(gogoHelp.execute(session, new ArrayList<>(List.of(name))));
        }
        return text.toString();
    }

    @Override
    public Object invoke(CommandSessionImpl session, Object target, String name, List<Object> args) throws Exception {
        require(session, "calling a method on an object");
        return super.invoke(session, target, name, args);
    }

    @Override
    public Path redirect(CommandSessionImpl session, Path path, int mode) {
        require(session, "redirecting to a file");
        return super.redirect(session, path, mode);
    }

    private void require(CommandSession session, String what) {
        Caller caller = callerOf(session);
        if (caller == null || !caller.role().includes(Role.ADMIN)) {
            throw new AccessDeniedException(what, Role.ADMIN);
        }
    }
}
