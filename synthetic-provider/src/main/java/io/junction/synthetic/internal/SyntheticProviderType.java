package io.junction.synthetic.internal;

import io.junction.api.Capabilities;
import io.junction.api.ProviderType;
import io.junction.api.RoleSpec;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * Provider type {@code synthetic}: one role, {@code sim}, whose connection path gives the
 * inventory's shape (see {@link SyntheticShape}).
 */
@Component(service = ProviderType.class)
public class SyntheticProviderType implements ProviderType {
    private static final List<RoleSpec> ROLES = List.of(new RoleSpec("sim", true,
            Set.of(Capabilities.INVENTORY, Capabilities.POWER, Capabilities.EVENTS), 443, "https", Set.of("https", "http"), null));

    @Override
    public String id() {
        return "synthetic";
    }

    @Override
    public String displayName() {
        return "Synthetic (generated inventory)";
    }

    @Override
    public List<RoleSpec> roles() {
        return ROLES;
    }
}
