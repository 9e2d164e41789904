package io.junction.shell.internal;

import io.junction.api.Ems;
import io.junction.api.node.EmsOwnership;
import io.junction.api.node.NodeInfo;
import io.junction.api.store.EmsStore;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code ems:nodes}: the Junction nodes sharing the database, and which EMSs each runs the background work of. */
@Component(service = NodeCommands.class, property = {
        "osgi.command.scope=ems", "osgi.command.function=nodes",
        // the role each function needs from a remote caller (io.junction.api.security.Role)
        "junction.command.role=nodes=viewer"})
public class NodeCommands {
    /** EMS names listed per node before the rest is only counted. */
    static final int NAMES_SHOWN = 10;

    @Reference
    private EmsOwnership ownership;

    @Reference
    private EmsStore store;

    @Descriptor("lists the nodes sharing the database: last heartbeat, live or not, and the EMSs whose background work each runs")
    public String nodes() {
        return Commands.run("ems:nodes", () -> {
            Map<Long, String> names = store.listEms().stream().collect(Collectors.toMap(Ems::id, Ems::name, (a, b) -> a));
            var nodes = ownership.nodes();
            Table table = new Table("NODE", "LAST HEARTBEAT", "LIVE", "EMSS", "OWNS");
            for (NodeInfo n : nodes) {
                var owned = n.emsIds().stream().map(id -> names.getOrDefault(id, String.valueOf(id))).sorted().toList();
                String shown = owned.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "))
                        + (owned.size() > NAMES_SHOWN ? ", … " + (owned.size() - NAMES_SHOWN) + " more" : "");
                table.row(n.name() + (n.self() ? " (this node)" : ""), EmsCommands.TIME.format(n.lastHeartbeat()),
                        n.live() ? "yes" : "no", owned.size(), owned.isEmpty() ? "-" : shown);
            }
            long unowned = names.keySet().stream().filter(id -> nodes.stream().noneMatch(n -> n.emsIds().contains(id))).count();
            return table + (unowned > 0 ? unowned + " EMS(s) not owned by any live lease yet (taken at the next heartbeat)\n" : "");
        });
    }
}
