package io.junction.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The nodes sharing the database and the lease of each EMS's background work, kept in the database
 * and changed only in its own transactions (conditional updates), with the database's clock: nodes
 * never compare their own clocks.
 */
@ProviderType
public interface NodeStore {

    /** A node as its heartbeats left it; {@code live} when its last heartbeat is within the window asked for. */
    record NodeRow(String name, Instant lastHeartbeat, boolean live) {
    }

    /** A lease row; {@code owner} empty when released; {@code expired} by the database's clock. */
    record LeaseRow(long emsId, Optional<String> owner, long fence, boolean expired) {
    }

    /** Whether several nodes may share this database (a server such as PostgreSQL); on embedded Derby, one node owns everything. */
    boolean shared();

    /** Records that the node is alive now. */
    void heartbeat(String node);

    /** Every node that ever beat, with whether its last heartbeat is within {@code liveWithin}. */
    List<NodeRow> nodes(Duration liveWithin);

    /** Every lease row. */
    List<LeaseRow> leases();

    /**
     * Takes the EMS's lease for the node when nobody holds it (never taken, released, or expired),
     * with a fencing number one above the last.
     *
     * @return the fence of the lease taken, empty when another node holds it (or the EMS is gone)
     */
    Optional<Fence> acquire(long emsId, String node, Duration leaseTime);

    /** Extends a held lease; false when it is no longer held under that fence (taken over, or the EMS gone). */
    boolean renew(Fence fence, Duration leaseTime);

    /** Gives the lease up (if still held under that fence) so that another node can take it at once. */
    void release(Fence fence);
}
