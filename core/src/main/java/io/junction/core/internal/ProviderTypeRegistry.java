package io.junction.core.internal;

import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Follows the {@link ProviderType} services that provider bundles register, so that the rest of
 * the platform sees the types installed at this moment.
 */
@Component(service = ProviderTypes.class)
public class ProviderTypeRegistry implements ProviderTypes {

    private final List<ProviderType> types = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addType(ProviderType type) {
        types.add(type);
    }

    void removeType(ProviderType type) {
        types.remove(type);
    }

    @Override
    public List<ProviderType> all() {
        return types.stream().sorted(Comparator.comparing(ProviderType::id)).toList();
    }
}
