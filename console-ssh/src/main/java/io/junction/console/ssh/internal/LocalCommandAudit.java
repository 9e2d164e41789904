package io.junction.console.ssh.internal;

import io.junction.api.security.AuditTrail;
import io.junction.api.security.Caller;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Audits the sessions of the local console and of {@code bin/junction -c}: Gogo's runtime hands
 * every registered {@link CommandSessionListener} the sessions of its processor. Their caller is
 * whoever runs the process, an administrator.
 */
@Component(service = CommandSessionListener.class)
public class LocalCommandAudit extends CommandAudit {
    private static final Caller LOCAL = Caller.local(System.getProperty("user.name"));

    @Activate
    public LocalCommandAudit(@Reference AuditTrail trail) {
        super(trail, session -> LOCAL);
    }
}
