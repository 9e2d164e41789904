package io.junction.provider.openstack.internal.keystone;

import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.RoleSpec;
import io.junction.api.service.Capability;
import io.junction.api.service.DiscoveryCapability;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackProviderType;
import io.junction.provider.openstack.internal.OpenStackSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keystone for one identity connection: verify authenticates; discovery reads the token's catalog. */
public final class KeystoneHandle implements ServiceHandle, DiscoveryCapability {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneHandle.class);

    /** The catalog service type of each role the provider type discovers. */
    static final Map<String, String> CATALOG_TYPES = Map.of("compute", "compute", "image", "image");

    private final TokenSession session;
    private final Connection identity;
    private final Supplier<OpenStackSettings> settings;

    public KeystoneHandle(TokenSession session, Connection identity, Supplier<OpenStackSettings> settings) {
        this.session = session;
        this.identity = identity;
        this.settings = settings;
    }

    @Override
    public void verify() {
        Token token = session.authenticate();
        LOG.debug("Keystone at {}: token for project {} until {}", session.keystone().address(), token.projectId(), token.expiresAt());
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public List<ConnectionSpec> discover() {
        Token token = session.authenticate();
        return discover(token.catalog(), OpenStackProviderType.ROLES, settings.get(), identity);
    }

    /**
     * The connections the catalog names for the roles discovered by {@code identity}, on the
     * configured interface and region, trusted as the identity connection is.
     */
    static List<ConnectionSpec> discover(Catalog catalog, List<RoleSpec> roles, OpenStackSettings settings, Connection identity) {
        List<ConnectionSpec> found = new ArrayList<>();
        for (RoleSpec role : roles) {
            String type = CATALOG_TYPES.get(role.role());
            if (!"identity".equals(role.discoveredBy()) || type == null) {
                continue;
            }
            Optional<URI> url = catalog.endpoint(type, settings.iface(), settings.region());
            if (url.isEmpty()) {
                LOG.warn("The catalog of Keystone at {} has no {} endpoint on interface {}{} (regions: {})", identity.address(), type,
                        settings.iface(), settings.region() == null ? "" : " in region " + settings.region(), catalog.regions(type));
                continue;
            }
            found.add(Catalog.connectionSpec(role.role(), url.get(), identity.verifyTls(), identity.caCertificate()));
        }
        return found;
    }

    @Override
    public void close() {
        session.close();
    }
}
