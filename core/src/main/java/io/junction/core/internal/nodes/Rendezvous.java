package io.junction.core.internal.nodes;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Rendezvous (highest random weight) hashing: each EMS goes to the node with the highest score for
 * the pair. Every node computes the same answer from the same list of live nodes, and a node
 * joining or leaving moves only the EMSs it gains or had, about 1/n of them.
 */
final class Rendezvous {
    private Rendezvous() {
    }

    /** The node, among {@code nodes} (not empty), that should run the EMS's background work. */
    static String owner(long emsId, Collection<String> nodes) {
        String best = null;
        long bestScore = 0;
        for (String node : nodes) {
            long score = score(node, emsId);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0 || (score == bestScore && node.compareTo(best) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over the node's name and the EMS id, then SplitMix64's finalizer to spread the bits. */
    static long score(String node, long emsId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (int i = 0; i < 8; i++) {
            h = (h ^ ((emsId >>> (8 * i)) & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
