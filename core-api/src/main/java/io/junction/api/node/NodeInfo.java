package io.junction.api.node;

import java.time.Instant;
import java.util.List;

/**
 * A node as the others see it.
 *
 * @param name          its name ({@code etc/io.junction.node.cfg})
 * @param lastHeartbeat when it last said it was alive (by the database's clock)
 * @param live          whether that was recent enough to count it among the live nodes
 * @param self          whether it is the node answering
 * @param emsIds        the EMSs whose lease it holds
 */
public record NodeInfo(String name, Instant lastHeartbeat, boolean live, boolean self, List<Long> emsIds) {
    public NodeInfo {
        emsIds = List.copyOf(emsIds);
    }
}
