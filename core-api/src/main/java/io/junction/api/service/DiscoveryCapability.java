package io.junction.api.service;

import io.junction.api.Capabilities;
import io.junction.api.ConnectionSpec;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Finds the EMS's other connections from a catalog (e.g. OpenStack's identity service). */
@ConsumerType
public interface DiscoveryCapability extends Capability {
    String NAME = Capabilities.DISCOVERY;

    /** The connections the catalog names now, marked {@link ConnectionSpec#discovered()}. */
    List<ConnectionSpec> discover();
}
