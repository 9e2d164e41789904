package io.junction.api.service;

import io.junction.api.inventory.PowerState;
import java.util.Objects;

/**
 * What a provider knows of a VM's power right after an action.
 *
 * @param state    normalised state ({@link PowerState#UNKNOWN} when the action is still running)
 * @param rawState the provider's own state text
 */
public record PowerResult(PowerState state, String rawState) {
    public PowerResult {
        Objects.requireNonNull(state, "state");
    }
}
