package io.junction.console.ssh.internal;

import io.junction.api.security.Role;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Puts a proxy of ours for every function of the Gogo command services a filter selects into a
 * command processor, as Gogo's runtime does with its own proxies for the local processor: the
 * remote processor gets every command, each function guarded by the role its component declares
 * ({@link #remote}); Gogo's own processor gets, above Gogo's proxies, ones that answer
 * {@code --help} for Junction's commands ({@link #local}).
 */
final class CommandServices implements AutoCloseable {
    /** Makes the proxy of one function of a command service. */
    interface Proxies {
        UsageCommand of(ServiceReference<?> reference, String scope, String function);
    }

    private final ServiceTracker<Object, List<UsageCommand>> commands;
    private final ServiceTracker<Converter, Converter> converters;

    private CommandServices(BundleContext context, CommandProcessorImpl processor, String filter, int rankingAbove,
                            Proxies proxies, boolean withConverters) throws InvalidSyntaxException {
        commands = new ServiceTracker<>(context, context.createFilter(filter), null) {
            @Override
            public List<UsageCommand> addingService(ServiceReference<Object> reference) {
                String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
                Object functions = reference.getProperty(CommandProcessor.COMMAND_FUNCTION);
                int ranking = reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
                List<UsageCommand> added = new ArrayList<>();
                for (Object f : functions instanceof Object[] a ? a : new Object[] {functions}) {
                    String function = String.valueOf(f);
                    UsageCommand command = proxies.of(reference, scope, function);
                    processor.addCommand(scope, command, function, ranking == Integer.MAX_VALUE ? ranking : ranking + rankingAbove);
                    added.add(command);
                }
                return added;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, List<UsageCommand> added) {
                String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
                for (UsageCommand command : added) {
                    processor.removeCommand(scope, command.name().substring(scope.length() + 1), command);
                }
            }
        };
        converters = !withConverters ? null : new ServiceTracker<>(context, Converter.class, null) {
            @Override
            public Converter addingService(ServiceReference<Converter> reference) {
                Converter converter = super.addingService(reference);
                processor.addConverter(converter);
                return converter;
            }

            @Override
            public void removedService(ServiceReference<Converter> reference, Converter converter) {
                processor.removeConverter(converter);
                super.removedService(reference, converter);
            }
        };
        commands.open();
        if (converters != null) {
            converters.open();
        }
    }

    /** Every command (and converter) into the remote processor, each function guarded by its role. */
    static CommandServices remote(BundleContext context, RemoteCommandProcessor processor) throws InvalidSyntaxException {
        String filter = "(&(" + CommandProcessor.COMMAND_SCOPE + "=*)(" + CommandProcessor.COMMAND_FUNCTION + "=*))";
        return new CommandServices(context, processor, filter, 0, (reference, scope, function) -> {
            CommandRoles roles = CommandRoles.of(reference.getProperty(Role.COMMAND_PROPERTY),
                    "command service " + reference.getProperty(Constants.SERVICE_ID) + " (" + scope + ")");
            return new GuardedCommand(context, reference, scope, function, roles.required(scope, function), processor);
        }, true);
    }

    /**
     * Junction's commands (those that declare their roles) into Gogo's own processor, ranked one
     * above Gogo's proxies of the same functions so that a session finds ours.
     */
    static CommandServices local(BundleContext context, CommandProcessorImpl processor) throws InvalidSyntaxException {
        String filter = "(&(" + CommandProcessor.COMMAND_SCOPE + "=*)(" + CommandProcessor.COMMAND_FUNCTION + "=*)("
                + Role.COMMAND_PROPERTY + "=*))";
        return new CommandServices(context, processor, filter, 1,
                (reference, scope, function) -> new UsageCommand(context, reference, scope, function), false);
    }

    @Override
    public void close() {
        commands.close();
        if (converters != null) {
            converters.close();
        }
    }
}
