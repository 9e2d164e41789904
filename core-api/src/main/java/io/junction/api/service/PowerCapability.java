package io.junction.api.service;

import io.junction.api.Capabilities;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/** Changes the power of the EMS's VMs. */
@ConsumerType
public interface PowerCapability extends Capability {
    String NAME = Capabilities.POWER;

    /** The actions this provider can perform. */
    Set<PowerAction> supportedActions();

    /**
     * Performs an action on a VM.
     *
     * @param vmRef the VM's provider reference ({@code emsRef})
     * @throws io.junction.api.ProviderException when the provider refuses (e.g. the VM is already off)
     */
    PowerResult perform(String vmRef, PowerAction action);
}
