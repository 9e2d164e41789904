package io.junction.console.ssh.internal;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --help} on Junction's commands in the sessions of Gogo's own processor: the local console
 * and {@code bin/junction -c} in a Junction of its own (see {@link UsageCommand} for why a proxy).
 * Registered as a service once its proxies are in, so that the launcher can wait for it before it
 * runs {@code -c} commands ({@code junction.ready.services}).
 */
@Component(service = LocalCommandUsage.class, immediate = true, property = LocalCommandUsage.READY + "=true")
public class LocalCommandUsage {
    /**
     * Service property the launcher's readiness filter names ({@code (junction.console.usage=true)} in
     * etc/config.properties), so that the file does not name this internal class.
     */
    static final String READY = "junction.console.usage";

    private static final Logger LOG = LoggerFactory.getLogger(LocalCommandUsage.class);

    private final CommandServices services;

    @Activate
    public LocalCommandUsage(@Reference CommandProcessor processor, BundleContext context) throws InvalidSyntaxException {
        if (processor instanceof CommandProcessorImpl gogo) {
            services = CommandServices.local(context, gogo);
        } else {
            // Another shell runtime: its commands keep working, without --help.
            LOG.warn("the command processor is not Gogo's runtime ({}): --help on commands is not available", processor.getClass().getName());
            services = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (services != null) {
            services.close();
        }
    }
}
