package io.junction.api.inventory;

import java.util.Objects;

/**
 * A hypervisor host as a provider reports it.
 *
 * @param emsRef      the provider's own reference, unique within the EMS
 * @param name        display name
 * @param clusterRef  {@code emsRef} of its cluster, or {@code null}
 * @param cpuCount    logical CPUs, 0 when unknown
 * @param memoryBytes memory in bytes, 0 when unknown
 * @param powerState  normalised power state
 * @param rawState    the provider's own state text
 */
public record HostItem(String emsRef, String name, String clusterRef, int cpuCount, long memoryBytes,
                       PowerState powerState, String rawState) {
    public HostItem {
        Objects.requireNonNull(emsRef, "emsRef");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(powerState, "powerState");
    }
}
