package io.junction.api.node;

import io.junction.api.store.Fence;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which node runs each EMS's background work (periodic refresh, event subscriptions): the question
 * the pipelines ask before they work and the fence they write under. Commands need no ownership:
 * any node answers any command.
 */
@ProviderType
public interface EmsOwnership {

    /** This node's name. */
    String nodeName();

    /** The lease under which this node runs the EMS's background work; empty when another node (or none yet) does. */
    Optional<Fence> fence(long emsId);

    /** The node holding the EMS's lease, if any. */
    Optional<String> owner(long emsId);

    /** Every known node, live ones first, with the EMSs each owns. */
    List<NodeInfo> nodes();
}
