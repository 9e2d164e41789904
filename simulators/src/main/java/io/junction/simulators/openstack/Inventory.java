package io.junction.simulators.openstack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The generated, deterministic cloud: flavors, images, hypervisors, zones and servers with their state. */
final class Inventory {
    static final Instant EPOCH = Instant.parse("2026-01-05T08:00:00Z");

    record Flavor(String id, String name, int vcpus, int ram, int disk) {
    }

    record Image(String id, String name, String diskFormat, long size, int minDisk, int minRam, Instant created) {
    }

    record Hypervisor(int id, String uuid, String host, String hostname, String zone, String ip, int vcpus, int memoryMb, int localGb) {
    }

    /** Nova's instance states: status, vm_state, power_state number, and its name in notifications. */
    enum State {
        ACTIVE("ACTIVE", "active", 1, "running"),
        SHUTOFF("SHUTOFF", "stopped", 4, "shutdown"),
        PAUSED("PAUSED", "paused", 3, "paused"),
        SUSPENDED("SUSPENDED", "suspended", 7, "suspended");

        final String status;
        final String vmState;
        final int powerState;
        final String powerName;

        State(String status, String vmState, int powerState, String powerName) {
            this.status = status;
            this.vmState = vmState;
            this.powerState = powerState;
            this.powerName = powerName;
        }
    }

    static final class Server {
        final int index;
        final String id;
        final String name;
        final Flavor flavor;
        final Image image;
        final Hypervisor hypervisor;
        final String tenantId;
        final String userId;
        final Instant created;
        final String ip;
        final String mac;
        State state;
        Instant updated;

        Server(int index, String id, String name, Flavor flavor, Image image, Hypervisor hypervisor, String tenantId,
                String userId, Instant created, String ip, String mac, State state) {
            this.index = index;
            this.id = id;
            this.name = name;
            this.flavor = flavor;
            this.image = image;
            this.hypervisor = hypervisor;
            this.tenantId = tenantId;
            this.userId = userId;
            this.created = created;
            this.ip = ip;
            this.mac = mac;
            this.state = state;
            this.updated = created.plusSeconds(42);
        }
    }

    final List<Flavor> flavors = List.of(
            new Flavor("1", "m1.tiny", 1, 512, 1),
            new Flavor("2", "m1.small", 1, 2048, 20),
            new Flavor("3", "m1.medium", 2, 4096, 40),
            new Flavor("4", "m1.large", 4, 8192, 80),
            new Flavor("5", "m1.xlarge", 8, 16384, 160));
    final List<String> zones = List.of("az1", "az2");
    final List<Image> images = new ArrayList<>();
    final List<Hypervisor> hypervisors = new ArrayList<>();
    /** Newest first, which is Nova's default order (created_at desc). */
    final List<Server> servers = new ArrayList<>();
    private final Map<String, Server> byId = new HashMap<>();
    private final Map<String, Integer> imagePosition = new HashMap<>();

    Inventory(long seed, int serverCount, String tenantId, String userId) {
        String[][] imageNames = {{"cirros-0.6.2-x86_64-disk", "qcow2", "21430272"}, {"ubuntu-22.04-server", "qcow2", "693829632"},
            {"debian-12-genericcloud", "qcow2", "334233600"}, {"rocky-9-generic", "raw", "10737418240"}};
        for (int i = 0; i < imageNames.length; i++) {
            images.add(new Image(uuid(seed, "image", i), imageNames[i][0], imageNames[i][1], Long.parseLong(imageNames[i][2]),
                    i == 0 ? 0 : 10, i == 0 ? 0 : 512, EPOCH.minusSeconds(86_400L * (30 - i))));
            imagePosition.put(images.get(i).id(), i);
        }
        for (int i = 0; i < 4; i++) {
            String host = String.format("compute-%02d", i + 1);
            hypervisors.add(new Hypervisor(i + 1, uuid(seed, "hypervisor", i), host, host + ".junction.test", zones.get(i % 2),
                    "192.168.10." + (11 + i), 64, 262_144, 1_800));
        }
        State[] cycle = {State.ACTIVE, State.ACTIVE, State.ACTIVE, State.ACTIVE, State.ACTIVE, State.ACTIVE, State.ACTIVE,
            State.SHUTOFF, State.PAUSED, State.SUSPENDED};
        for (int i = serverCount - 1; i >= 0; i--) {
            Server s = new Server(i, uuid(seed, "server", i), String.format("vm-%05d", i + 1), flavors.get(i % flavors.size()),
                    images.get(i % images.size()), hypervisors.get(i % hypervisors.size()), tenantId, userId,
                    EPOCH.plusSeconds(60L * i), address(i),
                    String.format("fa:16:3e:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff), cycle[i % cycle.length]);
            servers.add(s);
            byId.put(s.id, s);
        }
    }

    /** 10.0.0.2 onwards, one fixed address per server. */
    private static String address(int i) {
        int n = i + 2;
        return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    static String uuid(long seed, String kind, int index) {
        return UUID.nameUUIDFromBytes((seed + "/" + kind + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    Server server(String id) {
        return byId.get(id);
    }

    /** Position of the server in {@link #servers}, or -1. */
    int position(String id) {
        Server s = byId.get(id);
        return s == null ? -1 : servers.size() - 1 - s.index;
    }

    int imagePosition(String id) {
        return imagePosition.getOrDefault(id, -1);
    }
}
