package io.junction.api.service;

import io.junction.api.Ems;
import io.junction.api.inventory.VmItem;
import java.util.Objects;

/**
 * Power actions on the stored VMs of an EMS, as every door performs them (the console's
 * {@code ems:power}, the REST API): the VM found by reference or name, the action checked against
 * the stored state and the provider's supported actions, performed through the router, and the new
 * state stored.
 */
public interface VmPower {

    /** The VM as it was, the action, and what the provider says the VM is now. */
    record Outcome(VmItem vm, PowerAction action, PowerResult result) {
        public Outcome {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * Performs the action on the VM named by reference or name.
     *
     * @throws io.junction.api.NotFoundException              when the EMS has no such VM stored
     * @throws io.junction.api.InvalidInputException          for a template, or an action the provider does not support
     * @throws io.junction.api.ConflictException              when the stored state forbids it (starting a running VM…)
     * @throws io.junction.api.CapabilityUnavailableException when no power service or connection is bound
     * @throws io.junction.api.ProviderException              when the provider refused
     */
    Outcome perform(Ems ems, String vm, PowerAction action);
}
