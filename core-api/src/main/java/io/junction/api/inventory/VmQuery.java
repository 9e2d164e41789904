package io.junction.api.inventory;

/**
 * Which VMs (or templates) to list.
 *
 * @param templates whether to list templates instead of VMs
 * @param text      part of the name or reference, case-insensitive, or {@code null}
 * @param state     only this power state, or {@code null}
 * @param limit     at most this many, by name (then reference)
 * @param afterName with {@code afterRef}: only those after this item in that order (the next page), or {@code null}
 * @param afterRef  the reference of that item, or {@code null}
 */
public record VmQuery(boolean templates, String text, PowerState state, int limit, String afterName, String afterRef) {
    public VmQuery {
        if (limit < 1) {
            throw new io.junction.api.InvalidInputException("limit must be at least 1, got " + limit);
        }
        if ((afterName == null) != (afterRef == null)) {
            throw new IllegalArgumentException("afterName and afterRef go together");
        }
    }

    /** The first page. */
    public VmQuery(boolean templates, String text, PowerState state, int limit) {
        this(templates, text, state, limit, null, null);
    }

    /** The page after the item with this name and reference (keyset paging: stable while items come and go). */
    public VmQuery after(String name, String ref) {
        return new VmQuery(templates, text, state, limit, name, ref);
    }
}
