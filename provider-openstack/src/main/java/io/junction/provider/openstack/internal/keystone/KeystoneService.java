package io.junction.provider.openstack.internal.keystone;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackConfiguration;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.Passwords;
import io.junction.provider.openstack.internal.http.Endpoint;
import io.junction.provider.openstack.internal.http.JsonHttp;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/** Keystone v3: discovery of an OpenStack EMS's other endpoints through its {@code identity} connection. */
@Component(service = EmsService.class, configurationPid = OpenStackConfiguration.PID, property = {
        EmsService.TYPE + "=openstack", EmsService.ROLE + "=identity", EmsService.CAPABILITY + "=discovery"})
@Designate(ocd = OpenStackConfiguration.class)
public class KeystoneService implements EmsService {
    private volatile OpenStackSettings settings = OpenStackSettings.DEFAULTS;

    @Activate
    @Modified
    void configure(OpenStackConfiguration config) {
        settings = OpenStackSettings.of(config);
    }

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("Keystone", "OpenStack identity v3: password tokens scoped to a project, service catalog");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        KeystoneScope scope = KeystoneScope.of(context.connection());
        Endpoint identity = Endpoint.of(context.connection(), context.connectTimeout(), context.operationTimeout());
        JsonHttp http = new JsonHttp(identity.withBase(identity.base().resolve(scope.basePath())));
        try (Passwords.UserPassword account = Passwords.read(context)) {
            TokenSession session = new TokenSession(new KeystoneClient(http, scope), account.user(), account.password(), context.clock());
            return new KeystoneHandle(session, context.connection(), () -> settings);
        }
    }
}
