package io.junction.console.ssh.internal;

import io.junction.api.security.Role;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Puts every Gogo command service (and converter) into the remote processor, each function guarded
 * by the role its component declares, as Gogo's runtime does for the local console's processor.
 */
final class CommandServices implements AutoCloseable {
    private final ServiceTracker<Object, List<GuardedCommand>> commands;
    private final ServiceTracker<Converter, Converter> converters;

    CommandServices(BundleContext context, RemoteCommandProcessor processor) throws InvalidSyntaxException {
        String filter = "(&(" + CommandProcessor.COMMAND_SCOPE + "=*)(" + CommandProcessor.COMMAND_FUNCTION + "=*))";
        commands = new ServiceTracker<>(context, context.createFilter(filter), null) {
            @Override
            public List<GuardedCommand> addingService(ServiceReference<Object> reference) {
                String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
                Object functions = reference.getProperty(CommandProcessor.COMMAND_FUNCTION);
                CommandRoles roles = CommandRoles.of(reference.getProperty(Role.COMMAND_PROPERTY),
                        "command service " + reference.getProperty(Constants.SERVICE_ID) + " (" + scope + ")");
                int ranking = reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
                List<GuardedCommand> added = new ArrayList<>();
                for (Object f : functions instanceof Object[] a ? a : new Object[] {functions}) {
                    String function = String.valueOf(f);
                    GuardedCommand command = new GuardedCommand(context, reference, scope, function,
                            roles.required(scope, function), processor);
                    processor.addCommand(scope, command, function, ranking);
                    added.add(command);
                }
                return added;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, List<GuardedCommand> added) {
                String scope = String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE));
                for (GuardedCommand command : added) {
                    processor.removeCommand(scope, command.name().substring(scope.length() + 1), command);
                }
            }
        };
        converters = new ServiceTracker<>(context, Converter.class, null) {
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
        converters.open();
    }

    @Override
    public void close() {
        commands.close();
        converters.close();
    }
}
