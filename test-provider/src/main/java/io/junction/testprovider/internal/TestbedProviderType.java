package io.junction.testprovider.internal;

import io.junction.api.Capabilities;
import io.junction.api.ProviderType;
import io.junction.api.RoleSpec;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** Provider type {@code testbed}: role {@code a} serves power and inventory, role {@code b} serves events. */
@Component(service = ProviderType.class)
public class TestbedProviderType implements ProviderType {
    private static final List<RoleSpec> ROLES = List.of(
            new RoleSpec("a", true, Set.of(Capabilities.POWER, Capabilities.INVENTORY), 9001, "https", Set.of("https", "http"), null),
            new RoleSpec("b", false, Set.of(Capabilities.EVENTS), 9002, "https", Set.of("https", "http"), null));

    @Override
    public String id() {
        return "testbed";
    }

    @Override
    public String displayName() {
        return "Test bed";
    }

    @Override
    public List<RoleSpec> roles() {
        return ROLES;
    }
}
