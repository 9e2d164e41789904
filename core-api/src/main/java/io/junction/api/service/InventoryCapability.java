package io.junction.api.service;

import io.junction.api.Capabilities;
import io.junction.api.inventory.InventorySink;
import org.osgi.annotation.versioning.ConsumerType;

/** Reports the EMS's inventory. */
@ConsumerType
public interface InventoryCapability extends Capability {
    String NAME = Capabilities.INVENTORY;

    /**
     * Streams a complete snapshot into the sink and returns when it is complete. Throws if the
     * snapshot could not be completed; the caller then discards what it received.
     */
    void collect(InventorySink sink);
}
