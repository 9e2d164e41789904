package io.junction.provider.openstack.internal;

import io.junction.api.Capabilities;
import io.junction.api.ProviderType;
import io.junction.api.RoleSpec;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * OpenStack: the operator enters the identity endpoint (and the message bus for events); the
 * compute endpoint is discovered from the identity service's catalog.
 */
@Component(service = ProviderType.class)
public class OpenStackProviderType implements ProviderType {

    private static final Set<String> HTTP_SCHEMES = Set.of("https", "http");

    /** The roles, also read by discovery (which discovers the roles whose {@code discoveredBy} is {@code identity}). */
    public static final List<RoleSpec> ROLES = List.of(
            new RoleSpec("identity", true, Set.of(Capabilities.DISCOVERY), 5000, "https", HTTP_SCHEMES, null),
            new RoleSpec("compute", false, Set.of(Capabilities.INVENTORY, Capabilities.POWER), 8774, "https", HTTP_SCHEMES, "identity"),
            new RoleSpec("amqp", false, Set.of(Capabilities.EVENTS), 5671, "amqps", Set.of("amqps", "amqp"), null));

    @Override
    public String id() {
        return "openstack";
    }

    @Override
    public String displayName() {
        return "OpenStack";
    }

    @Override
    public List<RoleSpec> roles() {
        return ROLES;
    }
}
