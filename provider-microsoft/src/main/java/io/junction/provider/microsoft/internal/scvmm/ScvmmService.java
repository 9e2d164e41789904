package io.junction.provider.microsoft.internal.scvmm;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.microsoft.internal.winrm.WinRmClients;
import org.osgi.service.component.annotations.Component;

/** SCVMM: inventory and VM power of a Microsoft EMS through its {@code scvmm} connection (WinRM, remote PowerShell). */
@Component(service = EmsService.class, property = {
        EmsService.TYPE + "=microsoft", EmsService.ROLE + "=scvmm",
        EmsService.CAPABILITY + "=inventory", EmsService.CAPABILITY + "=power"})
public class ScvmmService implements EmsService {
    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("SCVMM", "System Center Virtual Machine Manager over WinRM (VirtualMachineManager module)");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        return new ScvmmHandle(WinRmClients.open(context));
    }
}
