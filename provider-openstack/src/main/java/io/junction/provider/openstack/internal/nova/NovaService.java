package io.junction.provider.openstack.internal.nova;

import io.junction.api.CapabilityUnavailableException;
import io.junction.api.Connection;
import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackConfiguration;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.Passwords;
import io.junction.provider.openstack.internal.http.Endpoint;
import io.junction.provider.openstack.internal.http.JsonHttp;
import io.junction.provider.openstack.internal.keystone.KeystoneClient;
import io.junction.provider.openstack.internal.keystone.KeystoneScope;
import io.junction.provider.openstack.internal.keystone.TokenSession;
import java.net.URI;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * Nova: inventory and VM power of an OpenStack EMS through its {@code compute} connection. Its
 * tokens come from Keystone at the same EMS's {@code identity} connection, with the credential the
 * router hands over: the compute connection's own or, for a discovered compute connection without
 * one, the identity connection's.
 */
@Component(service = EmsService.class, configurationPid = OpenStackConfiguration.PID, property = {
        EmsService.TYPE + "=openstack", EmsService.ROLE + "=compute",
        EmsService.CAPABILITY + "=inventory", EmsService.CAPABILITY + "=power"})
public class NovaService implements EmsService {
    private volatile OpenStackSettings settings = OpenStackSettings.DEFAULTS;

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
        String emsName = context.ems().name();
        Connection identity = context.connection("identity").orElseThrow(() -> new CapabilityUnavailableException("OpenStack EMS '"
                + emsName + "' has no identity connection, which Nova needs for its tokens; add it with ems:connect --path '/v3?project=<project>' '"
                + emsName + "' identity <host>"));
        KeystoneScope scope = KeystoneScope.of(identity);
        Endpoint keystone = Endpoint.of(identity, context.connectTimeout(), context.operationTimeout());
        JsonHttp keystoneHttp = new JsonHttp(keystone.withBase(keystone.base().resolve(scope.basePath())));
        TokenSession session;
        try (Passwords.UserPassword account = Passwords.read(context)) {
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
}
