package io.junction.api.inventory;

/**
 * One refresh of one EMS's stored inventory in progress. Items fed to it are compared with what
 * is stored by {@code emsRef} and written in batches; nothing is visible to others until
 * {@link #commit()}, and {@link #close()} without a commit leaves the stored inventory as it was.
 * Not thread-safe: one provider stream feeds it.
 */
public interface InventoryRefresh extends InventorySink, AutoCloseable {

    /**
     * On a database shared by nodes, a refresh begins only once a refresh of the same EMS running
     * on another node has ended. When one ended after this one was asked for, these are its counts:
     * the inventory is as fresh as this refresh would make it, and it need not run (close it).
     */
    default java.util.Optional<RefreshCounts> finishedMeanwhile() {
        return java.util.Optional.empty();
    }

    /** Items received so far. */
    long seen();

    /** Items written so far (created or updated), not yet visible. */
    long written();

    /** Deletes what the snapshot did not have and makes the whole refresh visible at once. */
    RefreshCounts commit();

    /** Abandons the refresh unless it was committed. */
    @Override
    void close();
}
