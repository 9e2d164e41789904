package io.junction.api.inventory;

/**
 * What one refresh did to the stored inventory, over all kinds of items.
 *
 * @param created   items that were new
 * @param updated   items that changed
 * @param deleted   stored items the snapshot no longer had
 * @param unchanged items as they were
 * @param skipped   malformed or repeated items the provider sent, left out
 */
public record RefreshCounts(long created, long updated, long deleted, long unchanged, long skipped) {
    /** Items the snapshot held (skipped ones included). */
    public long seen() {
        return created + updated + unchanged + skipped;
    }
}
