package io.junction.benchmarks;

import io.junction.api.ConnectionSpec;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.JunctionException;
import io.junction.api.Secret;
import io.junction.api.UnreachableException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.InventoryCapability;
import io.junction.api.store.EmsStore;
import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The failover gap: one thread reads the inventory of a Microsoft EMS through the router without
 * pause while its preferred SCVMM server (priority 1) disappears; the standby (priority 2) is
 * another listener of the same simulated server. The gap is the time from the end of the last call
 * answered by the preferred listener to the end of the first call answered by the standby (a call
 * is the standby's when the standby's command count moved during it; calls are one at a time). The
 * listener is stopped from another thread ~300 ms into each round, so a call may be in flight. After
 * each round the preferred listener starts again on its port and the round waits until calls are
 * answered by it again (the router's probe).
 *
 * <p>The baseline is the connect timeout: what a caller without a standby learns about a server
 * that disappears without refusing (its packets dropped). It is measured in the same run, once, with
 * a call to an EMS whose only SCVMM address is a listening socket whose accept queue is full, so
 * that the kernel drops the connection attempts.
 *
 * <p>A first round warms up and is not counted. Only a listener that stops (its port then refuses)
 * is measured: a host that vanishes without a word would leave a request in flight waiting for the
 * operation timeout and new connections for the connect timeout, which the simulator cannot stage
 * for connections it already has.
 *
 * <p>Args: {@code [rounds (10)]}.
 */
public final class FailoverBench {
    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("junction-failover-bench");
        String password = "Vmm-Pa55-" + Long.toHexString(System.nanoTime());
        WinRmSimulator first = WinRmSimulator.start(SimulatorConfig.scvmm().account("vmm-svc", password)
                .caOut(dir.resolve("scvmm-ca.pem")).inventory(1, 2, 10, 1));
        WinRmSimulator standby = first.peer(0);
        int preferredPort = first.port();
        AtomicReference<WinRmSimulator> preferred = new AtomicReference<>(first);
        try (EmbeddedJunction junction = BenchSupport.startWithSynthetic()) {
            EmsStore store = junction.service(EmsStore.class);
            CapabilityRouter router = junction.service(CapabilityRouter.class);
            String ca = Files.readString(dir.resolve("scvmm-ca.pem"));
            long ems = ems(store, "failover");
            var p = store.addConnection(ems, new ConnectionSpec("scvmm", "127.0.0.1", preferredPort, null, null, true, ca, false, false,
                    false, 1));
            store.addConnection(ems, new ConnectionSpec("scvmm", "127.0.0.1", standby.port(), null, null, true, ca, false, false, false, 2));
            credential(store, ems, p.id(), password);

            List<Double> gaps = new ArrayList<>();
            List<Double> failedCallMs = new ArrayList<>();
            List<Double> returnSeconds = new ArrayList<>();
            List<Double> preferredCallMs = new ArrayList<>();
            int failures = 0;
            // Round 0 warms up (not counted).
            for (int round = 0; round <= rounds; round++) {
                long backFrom = System.nanoTime();
                // Calls go to the preferred listener again (at the start, or once the probe found it back).
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (true) {
                    int before = standby.commands().size();
                    try {
                        read(router, ems);
                        if (standby.commands().size() == before) {
                            break;
                        }
                    } catch (JunctionException e) {
                        // the provider's service not bound yet (at the start)
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                    }
                    Thread.sleep(50);
                }
                if (round > 1) {
                    returnSeconds.add((System.nanoTime() - backFrom) / 1e9);
                }
                Thread stopper = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                    preferred.getAndSet(null).stop();
                }, "failover-bench-stop");
                stopper.start();
                long lastPreferred = System.nanoTime();
                                while (true) {
                    int before = standby.commands().size();
                    long start = System.nanoTime();
                    try {
                        read(router, ems);
                    } catch (JunctionException e) {
                        if (++failures > 100) {
                            throw e;
                        }
                        System.out.println("round " + (round + 1) + ": a call failed: " + e.getMessage());
                        continue;
                    }
                    long end = System.nanoTime();
                    if (standby.commands().size() == before) {
                        lastPreferred = end;
                        if (round > 0) {
                            preferredCallMs.add((end - start) / 1e6);
                        }
                        continue;
                    }
                    long moved = end - start;
                    double gap = (end - lastPreferred) / 1e6;
                    if (round > 0) {
                        gaps.add(gap);
                        failedCallMs.add(moved / 1e6);
                    }
                    System.out.printf("round %d%s: gap %.1f ms (the call that moved to the standby took %.1f ms)%n", round,
                            round == 0 ? " (warm-up)" : "", gap, moved / 1e6);
                    break;
                }
                stopper.join();
                preferred.set(standby.peer(preferredPort));
            }

            double baseline = connectTimeoutBaseline(store, router, ca, password);
            System.out.println();
            System.out.printf("failover gap over %d rounds: median %.1f ms, min %.1f ms, max %.1f ms%n", gaps.size(), median(gaps),
                    Collections.min(gaps), Collections.max(gaps));
            System.out.printf("a call answered by the preferred listener: median %.1f ms over %d calls%n", median(preferredCallMs),
                    preferredCallMs.size());
            System.out.printf("the call that moved to the standby: median %.1f ms, min %.1f ms, max %.1f ms%n", median(failedCallMs),
                    Collections.min(failedCallMs), Collections.max(failedCallMs));
            if (!returnSeconds.isEmpty()) {
                System.out.printf("back on the preferred listener after its restart: median %.1f s, min %.1f s, max %.1f s%n",
                        median(returnSeconds), Collections.min(returnSeconds), Collections.max(returnSeconds));
            }
            System.out.printf("calls that failed: %d%n", failures);
            System.out.printf("baseline, a call to a server that drops connection attempts (connect timeout): %.0f ms; gap ÷ baseline = %.4f×%n",
                    baseline, median(gaps) / baseline);
        } finally {
            WinRmSimulator last = preferred.get();
            if (last != null) {
                last.stop();
            }
            standby.stop();
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        System.exit(0);
    }

    /**
     * Makes a port take no connections without refusing them: a listening socket there whose accept
     * queue is full and is never accepted from, so that the kernel drops further connection attempts,
     * as it does for a host that is gone. Returns what to close to end it.
     */
    private static List<Socket> silence(int port) {
        List<Socket> held = new ArrayList<>();
        try {
            ServerSocket full = new ServerSocket();
            full.setReuseAddress(true);
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            held.add(new Socket() {
                @Override
                public synchronized void close() throws java.io.IOException {
                    full.close();
                }
            });
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                    held.add(s);
                } catch (java.io.IOException e) {
                    s.close();
                    break;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot hold port " + port + ": " + e.getMessage(), e);
        }
        return held;
    }

    /** How long a call takes to fail on an EMS whose SCVMM server takes no connections: the connect timeout, as measured. */
    private static double connectTimeoutBaseline(EmsStore store, CapabilityRouter router, String ca, String password) throws Exception {
        ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = free.getLocalPort();
        free.close();
        List<Socket> held = silence(port);
        try {
            long ems = ems(store, "silent");
            var c = store.addConnection(ems, new ConnectionSpec("scvmm", "127.0.0.1", port, null, null, true, ca, false, false, false, 1));
            credential(store, ems, c.id(), password);
            long start = System.nanoTime();
            try {
                read(router, ems);
                throw new IllegalStateException("a server that takes no connections answered");
            } catch (UnreachableException e) {
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("baseline: %s (after %.0f ms)%n", e.getMessage(), ms);
                return ms;
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Reads the whole inventory through the router, as a refresh does (retried once on the standby when the server is unreachable). */
    private static void read(CapabilityRouter router, long ems) {
        router.call(ems, InventoryCapability.class, inventory -> {
            inventory.collect(new InventorySink() {
                @Override
                public void cluster(ClusterItem cluster) {
                }

                @Override
                public void host(HostItem host) {
                }

                @Override
                public void vm(VmItem vm) {
                }

                @Override
                public void datastore(DatastoreItem datastore) {
                }
            });
            return null;
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long ems(EmsStore store, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                return store.createEms("microsoft", name).id();
            } catch (JunctionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void credential(EmsStore store, long ems, long connectionId, String password) {
        try (Secret secret = Secret.of(password.toCharArray())) {
            store.setCredential(ems, connectionId, new CredentialSpec(CredentialKind.PASSWORD, "vmm-svc", secret));
        }
    }
}
