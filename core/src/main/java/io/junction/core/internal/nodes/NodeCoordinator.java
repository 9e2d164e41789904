package io.junction.core.internal.nodes;

import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.node.EmsOwnership;
import io.junction.api.node.NodeInfo;
import io.junction.api.store.EmsStore;
import io.junction.api.store.Fence;
import io.junction.api.store.NodeStore;
import io.junction.api.store.NodeStore.LeaseRow;
import io.junction.api.store.NodeStore.NodeRow;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node among the nodes sharing the database. On a shared database (PostgreSQL) it beats, takes
 * the leases of the EMSs that rendezvous hashing gives it among the live nodes, renews them, and
 * hands over those another live node should have (it stops claiming them, and releases them one
 * heartbeat later, once the pipelines stopped their work); a node that stops beating loses its EMSs
 * when their leases expire. On embedded Derby this node owns every EMS, with nothing stored.
 */
@Component(service = EmsOwnership.class, immediate = true, configurationPid = NodeConfiguration.PID)
@Designate(ocd = NodeConfiguration.class)
public class NodeCoordinator implements EmsOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCoordinator.class);
    static final String NODE_ID_FILE = "node-id";
    /** Set by the launcher for {@code bin/junction -c}, which starts Junction only to run commands. */
    static final String COMMANDS_ONLY = "junction.commands.only";

    /** A lease this node holds, and when it was last taken or renewed (this node's monotonic clock). */
    private record Held(Fence fence, long renewedNanos) {
    }

    private final NodeStore nodes;
    private final EmsStore emsStore;
    private final String name;
    private final boolean shared;
    private final Duration lease;
    private final ConcurrentMap<Long, Held> held = new ConcurrentHashMap<>();
    /** Leases handed over at the last heartbeat: released at the next one, once the pipelines stopped. */
    private final Set<Fence> toRelease = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;
    private volatile String lastProblem;

    @Activate
    public NodeCoordinator(@Reference NodeStore nodes, @Reference EmsStore emsStore, NodeConfiguration config, BundleContext context) {
        this.nodes = nodes;
        this.emsStore = emsStore;
        this.name = config.name().isBlank() ? defaultName(context) : config.name().strip();
        this.shared = nodes.shared();
        this.lease = Duration.ofSeconds(Math.max(2, config.leaseSeconds()));
        long heartbeatMillis = Math.max(200, Math.min(config.heartbeatSeconds() * 1000L, lease.toMillis() / 3));
        if (!shared) {
            executor = null;
            LOG.info("Node {}: one node on this database, owning every EMS", name);
            return;
        }
        if (Boolean.parseBoolean(context.getProperty(COMMANDS_ONLY))) {
            // bin/junction -c: here only to run commands; the running nodes keep their EMSs.
            executor = null;
            LOG.info("Node {}: running commands only, no EMS's background work", name);
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-node");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::beatSafely, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
        LOG.info("Node {}: sharing the database, leases of {} s renewed every {} ms", name, lease.toSeconds(), heartbeatMillis);
    }

    @Deactivate
    void deactivate() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The pipelines, which use this component, have stopped: the others may take these at once.
        List<Fence> release = new ArrayList<>(toRelease);
        held.values().forEach(h -> release.add(h.fence()));
        held.clear();
        toRelease.clear();
        for (Fence f : release) {
            try {
                nodes.release(f);
            } catch (RuntimeException e) {
                LOG.debug("Releasing the lease of EMS {} as the node stops", f.emsId(), e);
            }
        }
        if (!release.isEmpty()) {
            LOG.info("Node {} stopped: released the leases of {} EMSs", name, release.size());
        }
    }

    @Override
    public String nodeName() {
        return name;
    }

    @Override
    public Optional<Fence> fence(long emsId) {
        if (!shared) {
            return Optional.of(new Fence(emsId, name, 0));
        }
        Held h = held.get(emsId);
        // A lease not renewed for its whole time may be someone else's by now: stop before being told.
        if (h == null || System.nanoTime() - h.renewedNanos() >= lease.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(h.fence());
    }

    @Override
    public Optional<String> owner(long emsId) {
        if (!shared) {
            return Optional.of(name);
        }
        return nodes.leases().stream().filter(l -> l.emsId() == emsId && !l.expired()).findFirst().flatMap(LeaseRow::owner);
    }

    @Override
    public List<NodeInfo> nodes() {
        if (!shared) {
            List<Long> all = emsStore.listEms().stream().map(Ems::id).sorted().toList();
            return List.of(new NodeInfo(name, Instant.now(), true, true, all));
        }
        Map<String, List<Long>> owned = new HashMap<>();
        for (LeaseRow l : nodes.leases()) {
            if (l.owner().isPresent() && !l.expired()) {
                owned.computeIfAbsent(l.owner().get(), n -> new ArrayList<>()).add(l.emsId());
            }
        }
        List<NodeInfo> result = new ArrayList<>();
        for (NodeRow n : nodes.nodes(lease)) {
            result.add(new NodeInfo(n.name(), n.lastHeartbeat(), n.live(), n.name().equals(name), owned.getOrDefault(n.name(), List.of())));
        }
        result.sort(Comparator.comparing((NodeInfo n) -> !n.live()).thenComparing(NodeInfo::name));
        return result;
    }

    private void beatSafely() {
        try {
            beat();
            if (lastProblem != null) {
                LOG.info("Node {} reaches the database again", name);
                lastProblem = null;
            }
        } catch (RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(lastProblem)) {
                LOG.warn("Node {}: heartbeat failed, leases not renewed: {}", name, problem);
                lastProblem = problem;
            }
        }
    }

    /** One heartbeat: say this node lives, renew, hand over and take leases. */
    void beat() {
        nodes.heartbeat(name);
        for (Fence f : new ArrayList<>(toRelease)) {
            try {
                nodes.release(f);
            } catch (JunctionException e) {
                // it runs out on its own
                LOG.debug("Node {}: releasing the lease of EMS {} failed: {}", name, f.emsId(), e.getMessage());
            }
            toRelease.remove(f);
        }
        Set<String> live = new TreeSet<>();
        for (NodeRow n : nodes.nodes(lease)) {
            if (n.live()) {
                live.add(n.name());
            }
        }
        live.add(name);
        Set<Long> emsIds = new HashSet<>();
        for (Ems ems : emsStore.listEms()) {
            emsIds.add(ems.id());
        }
        for (Held h : new ArrayList<>(held.values())) {
            long id = h.fence().emsId();
            String owner = Rendezvous.owner(id, live);
            if (!emsIds.contains(id)) {
                held.remove(id);
            } else if (!owner.equals(name)) {
                // Stop claiming it now; the pipelines see that at their next look, and the lease goes at the next beat.
                held.remove(id);
                toRelease.add(h.fence());
                LOG.info("Node {}: handing EMS {} over to node {}", name, id, owner);
            } else {
                long before = System.nanoTime();
                try {
                    if (nodes.renew(h.fence(), lease)) {
                        held.put(id, new Held(h.fence(), before));
                    } else {
                        held.remove(id);
                        LOG.warn("Node {}: lost the lease of EMS {} (fence {}): another node has taken it over", name, id, h.fence().number());
                    }
                } catch (JunctionException e) {
                    // Not known to be lost: kept until it runs out (fence() stops answering then), tried again at the next beat.
                    LOG.debug("Node {}: renewing the lease of EMS {} failed: {}", name, id, e.getMessage());
                }
            }
        }
        Map<Long, LeaseRow> leases = new HashMap<>();
        for (LeaseRow l : nodes.leases()) {
            leases.put(l.emsId(), l);
        }
        for (long id : emsIds) {
            if (held.containsKey(id) || !Rendezvous.owner(id, live).equals(name)) {
                continue;
            }
            LeaseRow row = leases.get(id);
            if (row == null || row.owner().isEmpty() || row.expired()) {
                long before = System.nanoTime();
                Optional<Fence> taken;
                try {
                    taken = nodes.acquire(id, name, lease);
                } catch (JunctionException e) {
                    // e.g. its row still locked by a node paused inside a transaction: the others are not held up
                    LOG.debug("Node {}: taking the lease of EMS {} failed: {}", name, id, e.getMessage());
                    continue;
                }
                if (taken.isPresent()) {
                    held.put(id, new Held(taken.get(), before));
                    LOG.info("Node {}: took the lease of EMS {} (fence {}{})", name, id, taken.get().number(),
                            row != null && row.owner().isPresent() ? ", from node " + row.owner().get() : "");
                }
            }
        }
    }

    /** The host's name and an id made once for this home, kept in {@code data/node-id}. */
    static String defaultName(BundleContext context) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "junction";
        }
        String home = context.getProperty("junction.home");
        if (home == null || home.isBlank()) {
            throw new JunctionException("the framework property junction.home is not set");
        }
        return host + "-" + nodeId(Path.of(home).resolve("data").resolve(NODE_ID_FILE));
    }

    static String nodeId(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.matches("[0-9a-f]{8}")) {
                    return id;
                }
            }
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            String id = HexFormat.of().formatHex(random);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(NODE_ID_FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new JunctionException("cannot keep the node id in " + file + ": " + e.getMessage(), e);
        }
    }
}
