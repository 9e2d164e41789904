package io.junction.benchmarks;

import io.junction.api.ConnectionSpec;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.Secret;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import io.junction.api.service.ConnectionDiscovery;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.simulators.openstack.LoggedRequest;
import io.junction.simulators.openstack.OpenStackConfig;
import io.junction.simulators.openstack.OpenStackSimulator;
import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Provider refreshes end to end against their simulators, next to the synthetic provider with the
 * same number of VMs, in one JVM run (the simulators run in this JVM, outside the framework, so
 * the heap figures include them):
 * <ol>
 * <li>synthetic EMS: V VMs, T templates, H hosts, C clusters — the baseline (refreshed first, and once more on a
 * second EMS after the OpenStack refresh, the JIT then warm);</li>
 * <li>Microsoft: an SCVMM WinRM simulator with the same counts; EMS {@code microsoft} with an
 * scvmm connection trusting the simulator's CA; refresh;</li>
 * <li>OpenStack: a simulator with V servers; EMS {@code openstack} with identity (CA) and amqp
 * connections, discovery of compute, refresh (HTTP requests counted from the simulator's log);
 * then N instance.update notifications published on the broker while the provider consumes,
 * timed until all are stored.</li>
 * </ol>
 * Args: {@code [V (10000)] [notifications N (10000)]}.
 */
public final class ProviderBench {
    private static final int TEMPLATES = 20;
    private static final int HOSTS = 100;
    private static final int CLUSTERS = 5;

    private ProviderBench() {
    }

    public static void main(String[] args) throws Exception {
        int vms = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int notifications = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path dir = Files.createTempDirectory("junction-provider-bench");
        List<String> table = new ArrayList<>();
        String vmmPassword = "Vmm-Pa55-" + Long.toHexString(System.nanoTime());
        String osPassword = "Os-Pa55-" + Long.toHexString(System.nanoTime() * 31);
        String busPassword = "Bus-Pa55-" + Long.toHexString(System.nanoTime() * 17);
        long t0 = System.nanoTime();
        try (WinRmSimulator scvmm = WinRmSimulator.start(SimulatorConfig.scvmm().account("vmm-svc", vmmPassword)
                .caOut(dir.resolve("scvmm-ca.pem")).inventory(CLUSTERS, HOSTS, vms, TEMPLATES));
             OpenStackSimulator cloud = OpenStackSimulator.start(OpenStackConfig.create().user("admin", osPassword, true).project("demo")
                     .caOut(dir.resolve("openstack-ca.pem")).servers(vms).amqpAccount("junction-bus", busPassword));
             EmbeddedJunction junction = BenchSupport.startWithSynthetic()) {
            System.out.printf("simulators and Junction started in %.1f s; %,d VMs each, max heap %s%n", (System.nanoTime() - t0) / 1e9, vms,
                    BenchSupport.mb(Runtime.getRuntime().maxMemory()));
            EmsStore store = junction.service(EmsStore.class);
            RefreshPipeline pipeline = junction.service(RefreshPipeline.class);

            // Synthetic: the baseline.
            long synthetic = BenchSupport.createSyntheticEms(junction, "synthetic-" + vms,
                    "/vms=" + vms + "/templates=" + TEMPLATES + "/hosts=" + HOSTS + "/clusters=" + CLUSTERS);
            double syntheticSeconds = refresh(pipeline, synthetic, "synthetic (baseline)", table, null);

            // Microsoft through WinRM.
            long microsoft = ems(store, "microsoft", "scvmm-" + vms);
            var vmmConnection = store.addConnection(microsoft, new ConnectionSpec("scvmm", "127.0.0.1", scvmm.port(), null, null, true,
                    Files.readString(scvmm.caPem()), false, false));
            credential(store, microsoft, vmmConnection.id(), "vmm-svc", vmmPassword);
            int commandsBefore = scvmm.commands().size();
            double microsoftSeconds = refresh(pipeline, microsoft, "microsoft (SCVMM over WinRM)", table, null);
            table.set(table.size() - 1, table.get(table.size() - 1) + String.format(", %d WinRM commands",
                    scvmm.commands().size() - commandsBefore));

            // OpenStack: identity + amqp entered by hand, compute discovered.
            long openstack = ems(store, "openstack", "openstack-" + vms);
            var identity = store.addConnection(openstack, new ConnectionSpec("identity", "127.0.0.1", cloud.keystonePort(), null,
                    "/v3?project=demo", true, Files.readString(cloud.caPem()), false, false));
            credential(store, openstack, identity.id(), "admin", osPassword);
            var amqp = store.addConnection(openstack, new ConnectionSpec("amqp", "127.0.0.1", cloud.amqpPort(), "amqp", null, true, null,
                    false, false));
            credential(store, openstack, amqp.id(), "junction-bus", busPassword);
            ConnectionDiscovery discovery = junction.service(ConnectionDiscovery.class);
            ConnectionDiscovery.Result discovered = retry(() -> discovery.discover(openstack));
            System.out.println("openstack: discovered " + discovered.added().size() + " connection(s)");
            cloud.clearRequests();
            double openstackSeconds = refresh(pipeline, openstack, "openstack (Nova over HTTPS)", table, null);
            List<LoggedRequest> requests = cloud.requests();
            Map<String, Integer> byService = new TreeMap<>();
            for (LoggedRequest r : requests) {
                byService.merge(r.service() + " " + r.method() + " " + r.path().replaceAll("\\?.*", "").replaceAll("[0-9a-f-]{36}", "{id}"), 1,
                        Integer::sum);
            }
            table.set(table.size() - 1, table.get(table.size() - 1) + String.format(", %d HTTP requests %s", requests.size(), byService));

            // Synthetic again, on a second EMS of the same shape: the first one ran with the JIT cold.
            long syntheticAgain = BenchSupport.createSyntheticEms(junction, "synthetic-again-" + vms,
                    "/vms=" + vms + "/templates=" + TEMPLATES + "/hosts=" + HOSTS + "/clusters=" + CLUSTERS);
            double syntheticAgainSeconds = refresh(pipeline, syntheticAgain, "synthetic again (baseline)", table, null);
            double syntheticBest = Math.min(syntheticSeconds, syntheticAgainSeconds);

            double[] ingest = notifications(junction.service(EventStore.class), cloud, openstack, notifications);

            System.out.println();
            table.forEach(System.out::println);
            System.out.printf("%nmicrosoft ÷ synthetic: %.1f×; openstack ÷ synthetic: %.1f× (same number of VMs, same run;"
                            + " synthetic = the faster of its two refreshes)%n",
                    microsoftSeconds / syntheticBest, openstackSeconds / syntheticBest);
            System.out.printf("openstack notifications: %,d published in %.2f s, all stored after %.2f s = %,.0f notifications/s stored%n",
                    notifications, ingest[0], ingest[1], notifications / ingest[1]);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    /** @return {seconds publishing, seconds until all stored} */
    private static double[] notifications(EventStore events, OpenStackSimulator cloud, long emsId, int n) throws Exception {
        List<String> servers = new ArrayList<>(cloud.serverStates().keySet());
        // Until one notification is stored, the provider's queue may not be consumed yet.
        long deadline = System.nanoTime() + 120_000_000_000L;
        int warm = 0;
        while (events.count(emsId) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no OpenStack notification stored within 120 s");
            }
            cloud.publishNotification("instance.update", "INFO", "nova-compute:bench", cloud.instanceActionPayload(servers.get(warm++ % servers.size())));
            Thread.sleep(500);
        }
        Thread.sleep(1000);
        long before = events.count(emsId);
        System.out.printf("openstack: consumer ready after %d warm-up notification(s); %,d stored%n", warm, before);
        BenchSupport.gc();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            cloud.publishNotification("instance.update", "INFO", "nova-compute:bench", cloud.instanceActionPayload(servers.get(i % servers.size())));
        }
        double published = (System.nanoTime() - start) / 1e9;
        long count = before;
        deadline = System.nanoTime() + 300_000_000_000L;
        while (count < before + n && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = events.count(emsId);
        }
        double all = (System.nanoTime() - start) / 1e9;
        if (count < before + n) {
            System.out.printf("openstack: only %,d of %,d stored after %.0f s%n", count - before, n, all);
        }
        return new double[] {published, all};
    }

    private static double refresh(RefreshPipeline pipeline, long emsId, String label, List<String> table, Object unused) throws Exception {
        BenchSupport.gc();
        try (BenchSupport.HeapPeak heap = new BenchSupport.HeapPeak()) {
            long start = System.nanoTime();
            RefreshResult result = retry(() -> pipeline.refresh(emsId, (seen, written) -> { }));
            double s = (System.nanoTime() - start) / 1e9;
            String line = String.format("%-30s %7.2f s  heap max %s, old-gen peak %s  %s", label, s, BenchSupport.mb(heap.sampledMax()),
                    BenchSupport.mb(heap.oldGenPeak()), result.counts());
            System.out.println(line);
            table.add(line);
            return s;
        }
    }

    private interface Call<T> {
        T call();
    }

    /** Retries while the provider's service is not bound yet (CapabilityUnavailableException), up to 60 s. */
    private static <T> T retry(Call<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                return call.call();
            } catch (io.junction.api.CapabilityUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static long ems(EmsStore store, String type, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                Ems ems = store.createEms(type, name);
                return ems.id();
            } catch (JunctionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void credential(EmsStore store, long emsId, long connectionId, String user, String password) {
        try (Secret secret = Secret.of(password.toCharArray())) {
            store.setCredential(emsId, connectionId, new CredentialSpec(CredentialKind.PASSWORD, user, secret));
        }
    }
}
