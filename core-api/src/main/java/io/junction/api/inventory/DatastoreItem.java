package io.junction.api.inventory;

import java.util.Objects;

/**
 * Storage as a provider reports it.
 *
 * @param emsRef        the provider's own reference, unique within the EMS
 * @param name          display name
 * @param capacityBytes total size, 0 when unknown
 * @param freeBytes     free space, 0 when unknown
 */
public record DatastoreItem(String emsRef, String name, long capacityBytes, long freeBytes) {
    public DatastoreItem {
        Objects.requireNonNull(emsRef, "emsRef");
        Objects.requireNonNull(name, "name");
    }
}
