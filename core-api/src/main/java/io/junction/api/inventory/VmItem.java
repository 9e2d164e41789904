package io.junction.api.inventory;

import java.util.List;
import java.util.Objects;

/**
 * A VM or template as a provider reports it.
 *
 * @param emsRef      the provider's own reference, unique within the EMS
 * @param name        display name
 * @param template    whether it is a template rather than a VM
 * @param hostRef     {@code emsRef} of the host it runs on, or {@code null}
 * @param cpuCount    virtual CPUs, 0 when unknown
 * @param memoryMb    memory in MiB, 0 when unknown
 * @param guestOs     guest operating system as the provider names it, or {@code null}
 * @param ipAddresses addresses the provider knows, possibly empty
 * @param powerState  normalised power state
 * @param rawState    the provider's own state text
 */
public record VmItem(String emsRef, String name, boolean template, String hostRef, int cpuCount, long memoryMb,
                     String guestOs, List<String> ipAddresses, PowerState powerState, String rawState) {
    public VmItem {
        Objects.requireNonNull(emsRef, "emsRef");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(powerState, "powerState");
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    }
}
