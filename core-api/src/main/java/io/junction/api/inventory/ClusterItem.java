package io.junction.api.inventory;

import java.util.Objects;

/**
 * A cluster (or availability zone) as a provider reports it.
 *
 * @param emsRef the provider's own reference, unique within the EMS
 * @param name   display name
 */
public record ClusterItem(String emsRef, String name) {
    public ClusterItem {
        Objects.requireNonNull(emsRef, "emsRef");
        Objects.requireNonNull(name, "name");
    }
}
