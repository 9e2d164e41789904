package io.junction.provider.openstack.internal.nova;

import io.junction.api.AuthenticationException;
import io.junction.api.CapabilityUnavailableException;
import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.Secret;
import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.api.store.EmsStore;
import io.junction.provider.openstack.internal.OpenStackConfiguration;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.Passwords;
import io.junction.provider.openstack.internal.http.Endpoint;
import io.junction.provider.openstack.internal.http.JsonHttp;
import io.junction.provider.openstack.internal.keystone.KeystoneClient;
import io.junction.provider.openstack.internal.keystone.KeystoneScope;
import io.junction.provider.openstack.internal.keystone.TokenSession;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Nova: inventory and VM power of an OpenStack EMS through its {@code compute} connection. Its
 * tokens come from Keystone at the same EMS's {@code identity} connection, looked up in the
 * {@link EmsStore}, with the compute connection's credential (or, when it has none, the identity
 * connection's).
 */
@Component(service = EmsService.class, configurationPid = OpenStackConfiguration.PID, property = {
        EmsService.TYPE + "=openstack", EmsService.ROLE + "=compute",
        EmsService.CAPABILITY + "=inventory", EmsService.CAPABILITY + "=power"})
public class NovaService implements EmsService {
    private volatile OpenStackSettings settings = OpenStackSettings.DEFAULTS;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EmsStore store;

    @Activate
    @Modified
    void configure(OpenStackConfiguration config) {
        settings = OpenStackSettings.of(config);
    }

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("Nova", "OpenStack compute v2.1 (servers, hypervisors, zones) and Glance v2 images, with Keystone tokens");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        EmsStore emsStore = store;
        if (emsStore == null) {
            throw new CapabilityUnavailableException("Nova needs the EMS store to find the identity connection, and none is running");
        }
        Connection identity = identityOf(emsStore.connections(context.ems().id()), context.ems().name());
        KeystoneScope scope = KeystoneScope.of(identity);
        Endpoint keystone = Endpoint.of(identity, context.connectTimeout(), context.operationTimeout());
        JsonHttp keystoneHttp = new JsonHttp(keystone.withBase(keystone.base().resolve(scope.basePath())));
        TokenSession session;
        try (Passwords.UserPassword account = account(context, identity, emsStore)) {
            session = new TokenSession(new KeystoneClient(keystoneHttp, scope), account.user(), account.password(), context.clock());
        }
        OpenStackSettings s = settings;
        Endpoint nova = Endpoint.of(context.connection(), context.connectTimeout(), context.operationTimeout());
        URI base = computeBase(nova.base());
        return new NovaHandle(new CloudClient(new JsonHttp(nova), session, s.computeMicroversion()), base, () -> settings);
    }

    /** Nova's base: the connection's URL, {@code /v2.1} when the connection has no path. */
    static URI computeBase(URI connectionUrl) {
        String path = connectionUrl.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? URI.create(connectionUrl.toString().replaceAll("/$", "") + "/v2.1")
                : connectionUrl;
    }

    /** The EMS's identity connection: its default one, else the first. */
    static Connection identityOf(List<Connection> connections, String emsName) {
        return connections.stream().filter(c -> c.role().equals("identity"))
                .min(Comparator.comparing((Connection c) -> !c.defaultForRole()).thenComparingLong(Connection::id))
                .orElseThrow(() -> new CapabilityUnavailableException("OpenStack EMS '" + emsName
                        + "' has no identity connection, which Nova needs for its tokens; add it with ems:connect --path '/v3?project=<project>' '"
                        + emsName + "' identity <host>"));
    }

    private static Passwords.UserPassword account(ServiceContext context, Connection identity, EmsStore store) {
        if (context.credential() != null) {
            return Passwords.read(context);
        }
        Credential credential = store.credentialOf(identity.id()).orElseThrow(() -> new AuthenticationException(
                "neither the compute connection nor the identity connection has a credential; add one with ems:credential --role identity"));
        if (credential.kind() != CredentialKind.PASSWORD) {
            throw new AuthenticationException("Keystone needs a password credential, not a " + credential.kind().label());
        }
        try (Secret secret = store.revealSecret(credential.id())) {
            return new Passwords.UserPassword(credential.user(), secret.reveal());
        }
    }
}
