package io.junction.testprovider.internal;

import io.junction.api.service.EmsService;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceDescriptor;
import io.junction.api.service.ServiceHandle;
import org.osgi.service.component.annotations.Component;

/** Serves events of testbed EMSs through their role-b connection. */
@Component(service = EmsService.class, property = {
        EmsService.TYPE + "=testbed", EmsService.ROLE + "=b", EmsService.CAPABILITY + "=events"})
public class TestbedServiceB implements EmsService {
    @Override
    public ServiceDescriptor descriptor() {
        return new ServiceDescriptor("testbed-b", "test service for role b");
    }

    @Override
    public ServiceHandle open(ServiceContext context) {
        return new TestbedHandle(context);
    }
}
