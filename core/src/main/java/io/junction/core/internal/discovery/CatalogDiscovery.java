package io.junction.core.internal.discovery;

import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Ems;
import io.junction.api.NotFoundException;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.RoleSpec;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.ConnectionDiscovery;
import io.junction.api.service.DiscoveryCapability;
import io.junction.api.store.EmsStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ConnectionDiscovery} through the router: one discovered connection per role the provider type marks as discovered. */
@Component(service = ConnectionDiscovery.class)
public class CatalogDiscovery implements ConnectionDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogDiscovery.class);

    @Reference
    private CapabilityRouter router;

    @Reference
    private EmsStore store;

    @Reference
    private ProviderTypes providerTypes;

    @Override
    public Result discover(long emsId) {
        Ems ems = store.findEms(emsId).orElseThrow(() -> new NotFoundException("no EMS with id " + emsId));
        ProviderType type = providerTypes.require(ems.type());
        List<ConnectionSpec> found = router.call(emsId, DiscoveryCapability.class, DiscoveryCapability::discover);

        Map<String, ConnectionSpec> byRole = new HashMap<>();
        for (ConnectionSpec spec : found) {
            RoleSpec role = type.role(spec.role()).orElse(null);
            if (role == null || !role.discovered()) {
                LOG.debug("Discovery of EMS '{}' named role '{}', which type '{}' does not discover; ignored", ems.name(), spec.role(), type.id());
                continue;
            }
            byRole.putIfAbsent(spec.role(), spec);
        }
        List<Connection> added = new ArrayList<>();
        List<Connection> updated = new ArrayList<>();
        List<Connection> removed = new ArrayList<>();
        List<Connection> unchanged = new ArrayList<>();
        List<Connection> existing = store.connections(emsId).stream().filter(Connection::discovered).toList();
        for (Connection c : existing) {
            ConnectionSpec spec = byRole.remove(c.role());
            if (spec == null) {
                store.removeConnection(c.id());
                removed.add(c);
            } else if (same(c, spec)) {
                unchanged.add(c);
            } else {
                // The catalog moved the endpoint; TLS settings and the priority the operator chose stay.
                updated.add(store.updateConnection(c.id(), new ConnectionSpec(c.role(), spec.host(), spec.port(), spec.scheme(),
                        spec.path(), c.verifyTls(), c.caCertificate(), false, true, false, null)));
            }
        }
        for (ConnectionSpec spec : byRole.values()) {
            added.add(store.addConnection(emsId, new ConnectionSpec(spec.role(), spec.host(), spec.port(), spec.scheme(), spec.path(),
                    spec.verifyTls(), spec.caCertificate(), false, true)));
        }
        LOG.info("Discovery of EMS '{}': {} added, {} updated, {} removed, {} unchanged", ems.name(), added.size(), updated.size(),
                removed.size(), unchanged.size());
        return new Result(added, updated, removed, unchanged);
    }

    private static boolean same(Connection c, ConnectionSpec spec) {
        return c.host().equals(spec.host()) && (spec.port() == null || c.port() == spec.port())
                && (spec.scheme() == null || c.scheme().equals(spec.scheme()))
                && c.path().equals(spec.path() == null ? "" : spec.path());
    }
}
