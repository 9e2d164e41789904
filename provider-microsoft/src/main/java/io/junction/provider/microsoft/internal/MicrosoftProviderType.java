package io.junction.provider.microsoft.internal;

import io.junction.api.Capabilities;
import io.junction.api.ProviderType;
import io.junction.api.RoleSpec;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * Microsoft System Center: one EMS reached through two servers. SCVMM answers inventory and
 * power; SCOM, with its own address and account, answers events.
 */
@Component(service = ProviderType.class)
public class MicrosoftProviderType implements ProviderType {

    private static final Set<String> WINRM_SCHEMES = Set.of("https", "http");

    private static final List<RoleSpec> ROLES = List.of(
            new RoleSpec("scvmm", true, Set.of(Capabilities.INVENTORY, Capabilities.POWER), 5986, "https", WINRM_SCHEMES, null),
            new RoleSpec("scom", false, Set.of(Capabilities.EVENTS), 5986, "https", WINRM_SCHEMES, null));

    @Override
    public String id() {
        return "microsoft";
    }

    @Override
    public String displayName() {
        return "Microsoft System Center";
    }

    @Override
    public List<RoleSpec> roles() {
        return ROLES;
    }
}
