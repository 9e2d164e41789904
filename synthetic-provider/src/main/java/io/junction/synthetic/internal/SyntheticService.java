package io.junction.synthetic.internal;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import org.osgi.service.component.annotations.Component;

/** Inventory, power and events of synthetic EMSs through their {@code sim} connection. */
@Component(service = EmsService.class, property = {
        EmsService.TYPE + "=synthetic", EmsService.ROLE + "=sim",
        EmsService.CAPABILITY + "=inventory", EmsService.CAPABILITY + "=power", EmsService.CAPABILITY + "=events"})
public class SyntheticService implements EmsService {
    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("synthetic", "generated inventory and events, no server");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        return new SyntheticHandle(context);
    }
}
