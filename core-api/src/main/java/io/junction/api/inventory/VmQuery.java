package io.junction.api.inventory;

/**
 * Which VMs (or templates) to list.
 *
 * @param templates whether to list templates instead of VMs
 * @param text      part of the name or reference, case-insensitive, or {@code null}
 * @param state     only this power state, or {@code null}
 * @param limit     at most this many, by name
 */
public record VmQuery(boolean templates, String text, PowerState state, int limit) {
    public VmQuery {
        if (limit < 1) {
            throw new io.junction.api.InvalidInputException("limit must be at least 1, got " + limit);
        }
    }
}
