package io.junction.simulators.winrm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * SCVMM's objects as {@code ConvertTo-Json} shows them: generated from a seed (VM objects are made
 * when asked for, so 100k VMs cost a few bytes each), or replayed from a recorded file.
 */
final class VmmInventory {
    static final int RUNNING = 0;
    static final int POWER_OFF = 1;
    static final int SAVED = 3;
    static final int PAUSED = 6;
    private static final Map<Integer, String> STATE_NAMES = Map.ofEntries(
            Map.entry(0, "Running"), Map.entry(1, "PowerOff"), Map.entry(2, "PoweringOff"), Map.entry(3, "Saved"),
            Map.entry(4, "Saving"), Map.entry(5, "Restoring"), Map.entry(6, "Paused"), Map.entry(10, "DiscardSavedState"),
            Map.entry(11, "Starting"), Map.entry(12, "MergingDrives"), Map.entry(13, "Deleting"));
    private static final String[][] SYSTEMS = {
        {"Windows Server 2022 Datacenter", "10.0.20348", "true"},
        {"Windows Server 2019 Standard", "10.0.17763", "true"},
        {"Ubuntu Linux 22.04 (64 bit)", "22.04", "false"},
        {"Red Hat Enterprise Linux 9 (64 bit)", "9", "false"},
        {"Windows Server 2016 Datacenter", "10.0.14393", "true"},
    };
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Instant EPOCH = Instant.parse("2024-03-01T08:00:00Z");

    private final long seed;
    private final ObjectNode server;
    private final List<ObjectNode> clusters;
    private final List<ObjectNode> hosts;
    private final List<ObjectNode> templates;
    private final List<ObjectNode> recordedVms;
    private final int generatedVms;
    private final byte[] states;
    private final Map<UUID, Integer> index = new HashMap<>();

    private VmmInventory(long seed, List<ObjectNode> clusters, List<ObjectNode> hosts, List<ObjectNode> templates,
            List<ObjectNode> recordedVms, int generatedVms) {
        this.seed = seed;
        this.server = server();
        this.clusters = clusters;
        this.hosts = hosts;
        this.templates = templates;
        this.recordedVms = recordedVms;
        this.generatedVms = generatedVms;
        this.states = new byte[generatedVms];
        if (recordedVms != null) {
            for (int i = 0; i < recordedVms.size(); i++) {
                index.put(UUID.fromString(recordedVms.get(i).path("ID").asText()), i);
            }
        } else {
            for (int i = 0; i < generatedVms; i++) {
                index.put(Deterministic.uuid(seed, "vm", i), i);
                int roll = Deterministic.pick(seed, "state", i, 10);
                states[i] = (byte) (roll < 7 ? RUNNING : roll == 7 ? POWER_OFF : roll == 8 ? SAVED : PAUSED);
            }
        }
    }

    static VmmInventory generated(long seed, int clusterCount, int hostCount, int vmCount, int templateCount) {
        List<ObjectNode> clusters = new ArrayList<>();
        for (int c = 0; c < clusterCount; c++) {
            ObjectNode cluster = JSON.objectNode();
            cluster.put("Name", String.format(Locale.ROOT, "cluster%02d.junction.test", c + 1));
            cluster.put("ClusterName", String.format(Locale.ROOT, "cluster%02d", c + 1));
            cluster.put("ID", Deterministic.uuid(seed, "cluster", c).toString());
            cluster.put("Description", "");
            cluster.put("HostGroup", "All Hosts");
            cluster.putArray("Nodes");
            cluster.put("ClusterReserve", 1);
            cluster.put("ClusterReserveState", 0);
            cluster.put("ClusterReserveStateString", "OK");
            cluster.put("IsViewOnly", false);
            clusters.add(cluster);
        }
        List<ObjectNode> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            String computer = String.format(Locale.ROOT, "hv%02d", h + 1);
            ObjectNode host = JSON.objectNode();
            host.put("Name", computer + ".junction.test");
            host.put("ComputerName", computer);
            host.put("FullyQualifiedDomainName", computer + ".junction.test");
            host.put("ID", Deterministic.uuid(seed, "host", h).toString());
            host.put("Description", "");
            host.put("TotalMemory", (256L + 128L * Deterministic.pick(seed, "hostmem", h, 4)) * 1024 * 1024 * 1024);
            host.put("AvailableMemory", 65536 + 1024 * Deterministic.pick(seed, "hostfree", h, 64));
            host.put("LogicalProcessorCount", 32 + 16 * Deterministic.pick(seed, "hostcpu", h, 4));
            host.put("PhysicalCPUCount", 2);
            host.put("CoresPerCPU", 8 + 4 * Deterministic.pick(seed, "hostcpu", h, 4));
            host.put("ProcessorModel", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz");
            if (clusterCount > 0) {
                ObjectNode cluster = clusters.get(h % clusterCount);
                ((ArrayNode) cluster.get("Nodes")).add(host.get("Name").asText());
                ObjectNode ref = host.putObject("HostCluster");
                ref.put("Name", cluster.get("Name").asText());
                ref.put("ID", cluster.get("ID").asText());
            } else {
                host.putNull("HostCluster");
            }
            host.put("VMHostGroup", "All Hosts");
            host.put("CommunicationState", 0);
            host.put("CommunicationStateString", "Responding");
            host.put("OverallState", 0);
            host.put("OverallStateString", "OK");
            host.put("VirtualizationPlatform", 2);
            host.put("VirtualizationPlatformString", "Microsoft Hyper-V");
            host.put("VirtualServerVersion", "10.0.20348.1");
            host.set("OperatingSystem", os(seed, 0, h));
            hosts.add(host);
        }
        List<ObjectNode> templates = new ArrayList<>();
        for (int t = 0; t < templateCount; t++) {
            int system = t % SYSTEMS.length;
            ObjectNode template = JSON.objectNode();
            template.put("Name", String.format(Locale.ROOT, "%s - Template %02d", SYSTEMS[system][0], t + 1));
            template.put("ID", Deterministic.uuid(seed, "template", t).toString());
            template.put("Description", "Generated template");
            template.put("CPUCount", 1 << Deterministic.pick(seed, "tcpu", t, 4));
            template.put("Memory", 1024 << Deterministic.pick(seed, "tmem", t, 5));
            template.put("DynamicMemoryEnabled", false);
            template.put("Generation", 2);
            template.put("IsTemplate", true);
            template.put("Enabled", true);
            template.put("Owner", "JUNCTION\\vmmadmin");
            template.put("AddedTime", Deterministic.jsonDate(EPOCH.plusSeconds(3600L * t)));
            template.put("VirtualizationPlatform", 2);
            template.put("VirtualizationPlatformString", "Microsoft Hyper-V");
            template.set("OperatingSystem", os(seed, system, t));
            templates.add(template);
        }
        return new VmmInventory(seed, clusters, hosts, templates, null, vmCount);
    }

    static VmmInventory replay(Path file) {
        try {
            // exact decimals, so recorded numbers are written back digit for digit
            ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + ": a replay file is a JSON object with clusters, hosts, vms, templates");
            }
            List<ObjectNode> vms = objects(root, "vms", file);
            for (ObjectNode vm : vms) {
                try {
                    UUID.fromString(vm.path("ID").asText(""));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": every VM needs a GUID \"ID\" (" + vm.path("Name").asText("?") + " has none)");
                }
                if (!vm.path("VirtualMachineState").canConvertToInt()) {
                    throw new IllegalArgumentException(file + ": every VM needs a numeric VirtualMachineState");
                }
            }
            return new VmmInventory(0, objects(root, "clusters", file), objects(root, "hosts", file),
                    objects(root, "templates", file), vms, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the replay file " + file, e);
        }
    }

    private static List<ObjectNode> objects(JsonNode root, String key, Path file) {
        JsonNode array = root.get(key);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be an array");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (!n.isObject()) {
                throw new IllegalArgumentException(file + ": \"" + key + "\" must hold objects");
            }
            out.add((ObjectNode) n);
        }
        return out;
    }

    private static ObjectNode os(long seed, int system, int index) {
        ObjectNode os = JSON.objectNode();
        os.put("Name", SYSTEMS[system][0]);
        os.put("Description", SYSTEMS[system][0]);
        os.put("Architecture", "amd64");
        os.put("Version", SYSTEMS[system][1]);
        os.put("IsWindows", Boolean.parseBoolean(SYSTEMS[system][2]));
        os.put("ID", Deterministic.uuid(seed, "os", system).toString());
        return os;
    }

    private static ObjectNode server() {
        ObjectNode server = JSON.objectNode();
        server.put("Name", "vmm01.junction.test");
        server.put("FullyQualifiedDomainName", "vmm01.junction.test");
        server.put("ProductVersion", "10.22.1287.0");
        server.put("ServerInterfaceVersion", "10.22.1287.0");
        server.put("Port", 8100);
        server.put("IsConnected", true);
        server.put("UserRole", "Administrator");
        server.put("UserRoleProfile", 0);
        return server;
    }

    ObjectNode vmmServer() {
        return server;
    }

    List<ObjectNode> clusters() {
        return clusters;
    }

    List<ObjectNode> hosts() {
        return hosts;
    }

    List<ObjectNode> templates() {
        return templates;
    }

    int vmCount() {
        return recordedVms != null ? recordedVms.size() : generatedVms;
    }

    /** The VM's index, or -1. */
    int indexOf(UUID id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    synchronized int state(int i) {
        return recordedVms != null ? recordedVms.get(i).path("VirtualMachineState").asInt() : states[i];
    }

    synchronized void setState(int i, int state) {
        if (recordedVms != null) {
            ObjectNode vm = recordedVms.get(i);
            vm.put("VirtualMachineState", state);
            vm.put("VirtualMachineStateString", stateName(state));
            if (vm.has("Status")) {
                vm.put("Status", state);
            }
            if (vm.has("StatusString")) {
                vm.put("StatusString", stateName(state));
            }
        } else {
            states[i] = (byte) state;
        }
    }

    static String stateName(int state) {
        return STATE_NAMES.getOrDefault(state, String.valueOf(state));
    }

    /** Every VM's name and state, for tests. */
    synchronized Map<UUID, String> states() {
        Map<UUID, String> out = new LinkedHashMap<>();
        for (int i = 0; i < vmCount(); i++) {
            UUID id = recordedVms != null ? UUID.fromString(recordedVms.get(i).get("ID").asText()) : Deterministic.uuid(seed, "vm", i);
            out.put(id, stateName(state(i)));
        }
        return out;
    }

    /** The VM as Get-SCVirtualMachine shows it; recorded VMs are served as recorded. */
    ObjectNode vm(int i) {
        if (recordedVms != null) {
            synchronized (this) {
                return recordedVms.get(i).deepCopy();
            }
        }
        int state = state(i);
        ObjectNode host = hosts.get(i % hosts.size());
        int system = Deterministic.pick(seed, "vmos", i, SYSTEMS.length);
        ObjectNode vm = JSON.objectNode();
        String name = String.format(Locale.ROOT, "vm%05d", i + 1);
        vm.put("Name", name);
        vm.put("ComputerName", name + ".junction.test");
        vm.put("ID", Deterministic.uuid(seed, "vm", i).toString());
        vm.put("VMId", Deterministic.uuid(seed, "vmid", i).toString().toUpperCase(Locale.ROOT));
        vm.put("Description", "");
        vm.put("Owner", "JUNCTION\\vmmadmin");
        vm.put("VirtualMachineState", state);
        vm.put("VirtualMachineStateString", stateName(state));
        vm.put("Status", state);
        vm.put("StatusString", stateName(state));
        vm.put("HostName", host.get("Name").asText());
        vm.put("HostId", host.get("ID").asText());
        vm.put("HostType", 3);
        vm.put("HostGroupPath", "All Hosts\\" + host.get("ComputerName").asText());
        vm.put("CPUCount", 1 << Deterministic.pick(seed, "cpu", i, 4));
        vm.put("Memory", 1024 << Deterministic.pick(seed, "mem", i, 5));
        vm.put("DynamicMemoryEnabled", Deterministic.pick(seed, "dyn", i, 4) == 0);
        vm.put("Generation", 2);
        vm.put("IsHighlyAvailable", host.get("HostCluster").isObject());
        vm.put("IsTemplate", false);
        vm.put("Enabled", true);
        vm.put("CreationTime", Deterministic.jsonDate(EPOCH.plusSeconds(60L * i)));
        vm.put("AddedTime", Deterministic.jsonDate(EPOCH.plusSeconds(60L * i)));
        vm.put("VirtualizationPlatform", 2);
        vm.put("VirtualizationPlatformString", "Microsoft Hyper-V");
        vm.set("OperatingSystem", os(seed, system, i));
        return vm;
    }
}
