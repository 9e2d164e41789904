package io.junction.provider.openstack.internal.nova;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.ProviderException;
import io.junction.api.inventory.HostItem;
import io.junction.provider.openstack.internal.CollectingSink;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.http.Endpoint;
import io.junction.provider.openstack.internal.http.JsonHttp;
import io.junction.provider.openstack.internal.keystone.KeystoneClient;
import io.junction.provider.openstack.internal.keystone.KeystoneScope;
import io.junction.provider.openstack.internal.keystone.TokenSession;
import io.junction.simulators.openstack.LoggedRequest;
import io.junction.simulators.openstack.OpenStackConfig;
import io.junction.simulators.openstack.OpenStackSimulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hosts' CPUs and memory at every compute microversion: from Nova's hypervisor list before 2.88,
 * from Placement's resource provider inventories from 2.88 on (Nova no longer reports them), never
 * a silent zero.
 */
class HostCapacityTest {
    static final String PASSWORD = "S3cret-pw";
    static OpenStackSimulator sim;
    static OpenStackSimulator noPlacement;

    @BeforeAll
    static void start() {
        sim = OpenStackSimulator.start(OpenStackConfig.create().user("admin", PASSWORD, true).project("demo").servers(8).withoutAmqp());
        noPlacement = OpenStackSimulator.start(OpenStackConfig.create().user("admin", PASSWORD, true).project("demo").servers(8)
                .withoutAmqp().withoutPlacementInCatalog());
    }

    @AfterAll
    static void stop() {
        sim.stop();
        noPlacement.stop();
    }

    static NovaHandle handle(OpenStackSimulator cloud, String microversion) {
        String ca = cloud.identity().caPem();
        Endpoint keystone = new Endpoint(URI.create(cloud.keystoneUrl()), true, ca, Duration.ofSeconds(5), Duration.ofSeconds(20));
        TokenSession session = new TokenSession(new KeystoneClient(new JsonHttp(keystone), KeystoneScope.parse("/v3?project=demo")),
                "admin", PASSWORD.toCharArray(), Clock.systemUTC());
        OpenStackSettings settings = new OpenStackSettings("public", null, microversion, 100, "nova", "versioned_notifications", 200);
        Endpoint nova = new Endpoint(URI.create(cloud.novaUrl()), true, ca, Duration.ofSeconds(5), Duration.ofSeconds(20));
        return new NovaHandle(new CloudClient(new JsonHttp(nova), session, microversion), URI.create(cloud.novaUrl()), () -> settings);
    }

    static Map<String, String> capacities(OpenStackSimulator cloud, String microversion) {
        CollectingSink sink = new CollectingSink();
        try (NovaHandle nova = handle(cloud, microversion)) {
            nova.collect(sink);
        }
        return sink.hosts.stream().collect(Collectors.toMap(HostItem::emsRef, h -> h.cpuCount() + " cpus " + h.memoryBytes() + " bytes"));
    }

    @Test
    void from288TheCapacityComesFromPlacementAndEqualsWhatNovaReportedBefore() {
        Map<String, String> before = capacities(sim, "2.87");
        assertEquals(sim.hypervisorHostnames().size(), before.size());
        assertFalse(before.values().stream().anyMatch(c -> c.startsWith("0 cpus") || c.endsWith(" 0 bytes")), before.toString());
        sim.clearRequests();

        assertEquals(before, capacities(sim, "2.88"));
        assertEquals(before, capacities(sim, "2.90"));
        List<LoggedRequest> placement = sim.requests().stream().filter(r -> r.service().equals("placement")).toList();
        assertEquals(2 * before.size(), placement.size(), placement.toString());
        assertTrue(placement.stream().allMatch(r -> r.status() == 200 && "1.0".equals(r.microversion())
                && r.path().matches("/resource_providers/[0-9a-f-]{36}/inventories")), placement.toString());
    }

    @Test
    void beforeThe288NoPlacementCallIsMade() {
        sim.clearRequests();
        capacities(sim, "2.60");
        assertTrue(sim.requests().stream().noneMatch(r -> r.service().equals("placement")));
    }

    @Test
    void withoutPlacementInTheCatalogA288RefreshFailsWithOneLineInsteadOfStoringZeros() {
        assertFalse(capacities(noPlacement, "2.87").isEmpty());
        ProviderException e = assertThrows(ProviderException.class, () -> capacities(noPlacement, "2.88"));
        assertTrue(e.getMessage().contains("catalog names no placement service"), e.getMessage());
        assertTrue(e.getMessage().contains("set computeMicroversion below 2.88"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void beforeThe253TheProviderIsFoundByTheHypervisorsName() {
        // Integer hypervisor ids (before 2.53) are not provider uuids; the provider is then looked up by name.
        CloudClient cloud = new CloudClient(new JsonHttp(new Endpoint(URI.create(sim.novaUrl()), true, sim.identity().caPem(),
                Duration.ofSeconds(5), Duration.ofSeconds(20))), new TokenSession(new KeystoneClient(new JsonHttp(new Endpoint(
                URI.create(sim.keystoneUrl()), true, sim.identity().caPem(), Duration.ofSeconds(5), Duration.ofSeconds(20))),
                KeystoneScope.parse("/v3?project=demo")), "admin", PASSWORD.toCharArray(), Clock.systemUTC()), "2.52");
        try (cloud) {
            PlacementCapacity placement = new PlacementCapacity(cloud, URI.create(sim.placementUrl()));
            String name = sim.hypervisorHostnames().get(0);
            PlacementCapacity.Capacity byName = placement.of("1", name);
            assertTrue(byName.vcpus() > 0 && byName.memoryMb() > 0, byName.toString());
            ProviderException unknown = assertThrows(ProviderException.class, () -> placement.of("7", "nowhere.junction.test"));
            assertTrue(unknown.getMessage().contains("no resource provider named 'nowhere.junction.test'"), unknown.getMessage());
        }
    }
}
