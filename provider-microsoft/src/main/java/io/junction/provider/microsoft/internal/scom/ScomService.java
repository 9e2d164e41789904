package io.junction.provider.microsoft.internal.scom;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.microsoft.internal.winrm.WinRmClients;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/** SCOM: events (alerts) of a Microsoft EMS through its {@code scom} connection, with SCOM's own credential. */
@Component(service = EmsService.class, configurationPid = ScomService.PID, property = {
        EmsService.TYPE + "=microsoft", EmsService.ROLE + "=scom", EmsService.CAPABILITY + "=events"})
@Designate(ocd = ScomConfiguration.class)
public class ScomService implements EmsService {
    static final String PID = "io.junction.provider.microsoft.scom";

    private volatile Duration interval = Duration.ofSeconds(60);
    private volatile int batchSize = 500;

    @Activate
    @Modified
    void configure(ScomConfiguration config) {
        interval = Duration.ofSeconds(Math.max(1, config.pollIntervalSeconds()));
        batchSize = Math.max(1, config.batchSize());
    }

    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("SCOM", "System Center Operations Manager alerts over WinRM (OperationsManager module)");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        return new ScomHandle(WinRmClients.open(context), context.clock(), () -> interval, () -> batchSize, context.scheduler());
    }
}
