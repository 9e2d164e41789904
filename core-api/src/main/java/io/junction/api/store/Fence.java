package io.junction.api.store;

import java.util.Objects;

/**
 * A lease on an EMS's background work as its holder knows it: the node that holds it and the
 * fencing number of the take-over that gave it. A write made with a fence is stored only while the
 * lease row still names that node and number, checked in the write's own transaction, so a node
 * that lost the lease (paused past its expiry, cut off) writes nothing for that EMS.
 *
 * @param emsId  the EMS
 * @param node   the node holding the lease
 * @param number increases at each take-over; 0 where one node owns everything (Derby)
 */
public record Fence(long emsId, String node, long number) {
    public Fence {
        Objects.requireNonNull(node, "node");
    }
}
