package io.junction.provider.microsoft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.AuthenticationException;
import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.Ems;
import io.junction.api.ProviderException;
import io.junction.api.Secret;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceHandle;
import io.junction.api.service.TaskScheduler;
import io.junction.provider.microsoft.internal.scom.ScomHandle;
import io.junction.provider.microsoft.internal.scvmm.ScvmmService;
import io.junction.provider.microsoft.internal.winrm.WinRmClients;
import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both services against the WinRM simulator of the simulators module (SCVMM and SCOM over HTTPS, Basic and NTLM). */
class SimulatorEndToEndTest {
    static final String USER = "svc-junction";
    static final String PASSWORD = "S3cret!pässword";

    @TempDir
    Path dir;

    static class CollectingSink implements InventorySink {
        final List<ClusterItem> clusters = new ArrayList<>();
        final List<HostItem> hosts = new ArrayList<>();
        final List<VmItem> vms = new ArrayList<>();

        @Override
        public void cluster(ClusterItem cluster) {
            clusters.add(cluster);
        }

        @Override
        public void host(HostItem host) {
            hosts.add(host);
        }

        @Override
        public void vm(VmItem vm) {
            vms.add(vm);
        }

        @Override
        public void datastore(DatastoreItem datastore) {
        }
    }

    static ServiceContext context(String role, String host, int port, boolean verify, String ca, String user, String password) {
        Connection c = new Connection(1, 1, role, host, port, "https", "", verify, ca, true, false);
        Ems ems = new Ems(1, "System Center", "microsoft", Instant.now());
        Credential credential = new Credential(1, 1, c.id(), CredentialKind.PASSWORD, user, null, null, null, Instant.now());
        return new ServiceContext(ems, c, credential, () -> Secret.of(password.toCharArray()), Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    WinRmSimulator scvmm(boolean basic) {
        return WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).caOut(dir.resolve("ca.pem"))
                .basicAllowed(basic).inventory(2, 5, 40, 3));
    }

    String ca(WinRmSimulator sim) throws Exception {
        return Files.readString(sim.caPem());
    }

    @Test
    void refreshAndPowerOverBasic() throws Exception {
        try (WinRmSimulator sim = scvmm(true);
             ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", sim.port(), true, ca(sim), USER, PASSWORD))) {
            handle.verify();
            CollectingSink sink = new CollectingSink();
            handle.capability(InventoryCapability.class).orElseThrow().collect(sink);
            assertEquals(2, sink.clusters.size());
            assertEquals(5, sink.hosts.size());
            List<VmItem> vms = sink.vms.stream().filter(v -> !v.template()).toList();
            assertEquals(40, vms.size());
            assertEquals(3, sink.vms.stream().filter(VmItem::template).count());
            Set<String> hostRefs = sink.hosts.stream().map(h -> h.emsRef()).collect(Collectors.toSet());
            Set<String> clusterRefs = sink.clusters.stream().map(c -> c.emsRef()).collect(Collectors.toSet());
            assertTrue(vms.stream().allMatch(v -> hostRefs.contains(v.hostRef())), "every VM's host is a listed host");
            assertTrue(sink.hosts.stream().allMatch(h -> h.clusterRef() == null || clusterRefs.contains(h.clusterRef())));
            assertTrue(sink.hosts.stream().anyMatch(h -> h.clusterRef() != null), "hosts are linked to clusters");
            assertTrue(sink.hosts.stream().allMatch(h -> h.memoryBytes() > 1L << 30 && h.cpuCount() > 0));
            Map<UUID, String> states = sim.vmStates();
            for (VmItem vm : vms) {
                assertEquals(states.get(UUID.fromString(vm.emsRef())), vm.rawState());
                assertNotNull(vm.guestOs());
                assertTrue(vm.memoryMb() > 0 && vm.cpuCount() > 0);
            }
            assertTrue(vms.stream().anyMatch(v -> v.powerState() == PowerState.ON));

            UUID running = states.entrySet().stream().filter(e -> e.getValue().equals("Running")).findFirst().orElseThrow().getKey();
            PowerCapability power = handle.capability(PowerCapability.class).orElseThrow();
            PowerResult off = power.perform(running.toString(), PowerAction.STOP);
            assertEquals(PowerState.OFF, off.state());
            assertEquals("PowerOff", sim.vmStates().get(running));
            ProviderException refused = assertThrows(ProviderException.class, () -> power.perform(running.toString(), PowerAction.SUSPEND));
            assertFalse(refused.getMessage().contains("\n"));
            assertEquals(PowerState.ON, power.perform(running.toString(), PowerAction.START).state());
            assertEquals("Running", sim.vmStates().get(running));
            assertEquals(PowerState.SUSPENDED, power.perform(running.toString(), PowerAction.SUSPEND).state());
            assertEquals(PowerState.ON, power.perform(running.toString(), PowerAction.RESUME).state());
            assertEquals(PowerState.OFF, power.perform(running.toString(), PowerAction.SHUTDOWN).state());
            assertThrows(ProviderException.class, () -> power.perform(UUID.randomUUID().toString(), PowerAction.START));
            assertEquals(0, sim.openShells(), "every shell is deleted, also after failed scripts");
        }
    }

    @Test
    void ntlmWhenBasicIsOff() throws Exception {
        try (WinRmSimulator sim = scvmm(false);
             ServiceHandle handle = new ScvmmService().open(context("scvmm", "localhost", sim.port(), true, ca(sim),
                     "JUNCTION\\" + USER, PASSWORD))) {
            handle.verify();
            CollectingSink sink = new CollectingSink();
            handle.capability(InventoryCapability.class).orElseThrow().collect(sink);
            assertEquals(43, sink.vms.size());
            assertTrue(sim.authentications().stream().allMatch(a -> !a.scheme().equalsIgnoreCase("Basic")));
            assertTrue(sim.authentications().stream().anyMatch(a -> a.user().equalsIgnoreCase(USER)));
            assertEquals(0, sim.openShells());
        }
    }

    /** Output far larger than one Receive answer arrives in many chunks and is parsed as it comes. */
    @Test
    void largeInventoryStreams() throws Exception {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scvmm().account(USER, PASSWORD).caOut(dir.resolve("ca.pem"))
                .inventory(4, 50, 10_000, 5));
             ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", sim.port(), true, ca(sim), USER, PASSWORD))) {
            long[] seen = new long[1];
            handle.capability(InventoryCapability.class).orElseThrow().collect(new CollectingSink() {
                @Override
                public void vm(VmItem vm) {
                    seen[0]++;
                }
            });
            assertEquals(10_005, seen[0]);
            assertEquals(0, sim.openShells());
        }
    }

    @Test
    void wrongPasswordOverNtlmAndBasic() throws Exception {
        for (boolean basic : new boolean[]{true, false}) {
            try (WinRmSimulator sim = scvmm(basic);
                 ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", sim.port(), true, ca(sim), USER, "wrong"))) {
                assertThrows(AuthenticationException.class, handle::verify);
            }
        }
    }

    @Test
    void wrongPortAndUntrustedCertificate() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        try (ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", free, true, null, USER, PASSWORD))) {
            assertThrows(UnreachableException.class, handle::verify);
        }
        try (WinRmSimulator sim = scvmm(true)) {
            try (ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", sim.port(), true, null, USER, PASSWORD))) {
                assertThrows(TlsTrustException.class, handle::verify);
            }
            try (ServiceHandle handle = new ScvmmService().open(context("scvmm", "127.0.0.1", sim.port(), false, null, USER, PASSWORD))) {
                handle.verify();
            }
        }
    }

    @Test
    void scomAlertsBecomeEvents() throws Exception {
        try (WinRmSimulator sim = WinRmSimulator.start(SimulatorConfig.scom().account(USER, PASSWORD).caOut(dir.resolve("scom.pem"))
                .alerts(Duration.ofMinutes(1), 6))) {
            ServiceContext context = context("scom", "127.0.0.1", sim.port(), true, ca(sim), USER, PASSWORD);
            List<EmsEvent> events = new CopyOnWriteArrayList<>();
            List<String> cursors = new CopyOnWriteArrayList<>();
            try (ScomHandle handle = new ScomHandle(WinRmClients.open(context), Clock.systemUTC(), () -> Duration.ofMillis(200), () -> 4,
                    TaskScheduler.threadPerTask())) {
                handle.verify();
                EventSubscription sub = handle.capability(EventCapability.class).orElseThrow().subscribe("2000-01-01T00:00:00Z",
                        (batch, cursor) -> {
                            events.addAll(batch);
                            cursors.add(cursor);
                        });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (sim.commands().size() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                sub.close();
            }
            assertTrue(events.size() >= 6, "the alerts raised before start: " + events.size());
            assertEquals(events.size(), events.stream().map(EmsEvent::providerEventId).distinct().count(), "no duplicates across polls");
            assertTrue(events.stream().allMatch(e -> e.source().equals("scom") && e.providerEventId().contains("@")));
            assertTrue(events.stream().anyMatch(e -> e.type().equals("alert.new")));
            Instant last = events.stream().map(EmsEvent::occurredAt).max(Instant::compareTo).orElseThrow();
            assertEquals(last.toString(), cursors.get(cursors.size() - 1));
            assertTrue(cursors.size() >= 2, "batches of 4");
            assertEquals(0, sim.openShells());
        }
    }
}
