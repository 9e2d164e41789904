package io.junction.provider.openstack.internal.notifications;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackConfiguration;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.Passwords;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** Nova's versioned notifications: events of an OpenStack EMS through its {@code amqp} connection, with the broker's own account. */
@Component(service = EmsService.class, configurationPid = OpenStackConfiguration.PID, property = {
        EmsService.TYPE + "=openstack", EmsService.ROLE + "=amqp", EmsService.CAPABILITY + "=events"})
public class NotificationService implements EmsService {
    private volatile OpenStackSettings settings = OpenStackSettings.DEFAULTS;

    @Activate
    @Modified
    void configure(OpenStackConfiguration config) {
        settings = OpenStackSettings.of(config);
    }

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("Nova notifications", "Nova versioned notifications over AMQP 0-9-1, from a durable queue of Junction's own");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        try (Passwords.UserPassword account = Passwords.read(context)) {
            return NotificationHandle.open(context.connection(), context.ems().name(), account.user(), account.password(),
                    context.connectTimeout(), context.clock(), () -> settings, context.scheduler());
        }
    }
}
