package io.junction.console.ssh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.gogo.runtime.CommandProxy;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Gogo's proxy to one command function that answers {@code --help} (or {@code -h}) with the
 * function's usage, as {@code help <scope:function>} shows it, instead of running the function.
 *
 * <p>Why a proxy: Gogo binds {@code --help} to a function's first positional parameter
 * ({@code ems:vms --help} looked for an EMS named "--help"), so the commands themselves would each
 * need the option, a copy per command. Every door reaches a function through a proxy of this kind:
 * the remote sessions (SSH shell and exec, {@code bin/junction -c} to a running instance) through
 * {@link GuardedCommand}, which extends this one, and the local console and a cold {@code -c}
 * through the ones {@link LocalCommandUsage} puts into Gogo's own processor above Gogo's proxies.
 * So a new command gets {@code --help} by being registered, and the usage text is Gogo's own
 * ({@code felix:help}), read from the same annotations as {@code help}.
 */
class UsageCommand extends CommandProxy {
    static final String HELP_FUNCTION = "felix:help";

    private final String name;

    UsageCommand(BundleContext context, ServiceReference<?> reference, String scope, String function) {
        super(context, reference, function);
        this.name = scope + ":" + function;
    }

    /** {@code scope:function}. */
    String name() {
        return name;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        if (asksForUsage(arguments)) {
            return usage(session, name);
        }
        return super.execute(session, arguments);
    }

    /**
     * True when the words hold {@code --help}, or {@code -h} other than as the value of an option
     * ({@code --filter -h} filters by "-h"). No Junction command has an option of either name.
     */
    static boolean asksForUsage(List<Object> arguments) {
        String previous = null;
        for (Object argument : arguments) {
            String word = String.valueOf(argument);
            if (word.equals("--help") || word.equals("-h") && (previous == null || !previous.startsWith("-"))) {
                return true;
            }
            previous = word;
        }
        return false;
    }

    /** The usage of {@code name} as Gogo's {@code help} describes it, asked without auditing a second command line. */
    static Object usage(CommandSession session, String name) throws Exception {
        Object help = session.get(HELP_FUNCTION);
        if (!(help instanceof Function f)) {
            return name + ": no description available (Gogo's help command, " + HELP_FUNCTION + ", is not installed)";
        }
        Object text = f.execute(session, new ArrayList<>(List.of(name.toLowerCase(Locale.ROOT))));
        return text == null ? "" : text;
    }
}
