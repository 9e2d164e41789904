package io.junction.console.ssh.internal;

import io.junction.api.security.Role;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles a command component declares for its functions in its {@link Role#COMMAND_PROPERTY}
 * service property ({@code function=role} entries). A function without an entry is the platform's
 * own business: admin only.
 */
final class CommandRoles {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRoles.class);

    /**
     * Gogo's own help, which only describes commands, is for everyone; it is registered by
     * org.apache.felix.gogo.command, which cannot declare a Junction role itself.
     */
    private static final Map<String, Role> THIRD_PARTY = Map.of("felix:help", Role.VIEWER);

    private final Map<String, Role> byFunction;

    private CommandRoles(Map<String, Role> byFunction) {
        this.byFunction = byFunction;
    }

    static CommandRoles of(Object property, String where) {
        Map<String, Role> roles = new HashMap<>();
        Object[] entries = property == null ? new Object[0] : property instanceof Object[] a ? a : new Object[] {property};
        for (Object entry : entries) {
            String text = String.valueOf(entry);
            int eq = text.indexOf('=');
            try {
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected function=role");
                }
                roles.put(text.substring(0, eq).strip().toLowerCase(Locale.ROOT), Role.parse(text.substring(eq + 1)));
            } catch (RuntimeException e) {
                // Fail closed: the function stays admin-only.
                LOG.warn("{}: ignoring {}={}: {}", where, Role.COMMAND_PROPERTY, text, e.getMessage());
            }
        }
        return new CommandRoles(roles);
    }

    /** The role a remote caller needs for {@code scope:function}. */
    Role required(String scope, String function) {
        String f = function.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(byFunction.get(f))
                .orElse(THIRD_PARTY.getOrDefault(scope.toLowerCase(Locale.ROOT) + ":" + f, Role.ADMIN));
    }
}
