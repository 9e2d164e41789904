package io.junction.testprovider.internal;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import org.osgi.service.component.annotations.Component;

/** Serves power and inventory of testbed EMSs through their role-a connection. */
@Component(service = EmsService.class, property = {
        EmsService.TYPE + "=testbed", EmsService.ROLE + "=a",
        EmsService.CAPABILITY + "=power", EmsService.CAPABILITY + "=inventory"})
public class TestbedServiceA implements EmsService {
    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("testbed-a", "test service for role a");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        return new TestbedHandle(context);
    }
}
