package io.junction.provider.microsoft.internal.scvmm;

import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.provider.microsoft.internal.powershell.JsonItems.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns SCVMM objects, as {@code ConvertTo-Json} writes them, into Junction's inventory items.
 * References: a VM is its {@code ID}; a host is its {@code Name} (lower case), which is what a
 * VM's {@code HostName} and a cluster's {@code Nodes} name; a cluster is its {@code ID}.
 * Windows PowerShell 5.1 writes enums as numbers, so states come from the {@code *String}
 * properties.
 */
final class ScvmmMapping {
    /** Host name (lower case) → the cluster it is a node of; cluster name → cluster reference. Small: one entry per host. */
    private final Map<String, String> clusterOfHost = new HashMap<>();
    private final Map<String, String> clusterByName = new HashMap<>();

    static PowerState vmState(String raw) {
        if (raw == null) {
            return PowerState.UNKNOWN;
        }
        return switch (raw.strip().replace(" ", "").toLowerCase(Locale.ROOT)) {
            case "running" -> PowerState.ON;
            case "poweroff" -> PowerState.OFF;
            case "paused", "saved" -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }

    static PowerState hostState(String communicationState) {
        if (communicationState == null) {
            return PowerState.UNKNOWN;
        }
        return communicationState.strip().equalsIgnoreCase("Responding") ? PowerState.ON : PowerState.UNKNOWN;
    }

    static String hostRef(String name) {
        return name == null || name.isBlank() ? null : name.strip().toLowerCase(Locale.ROOT);
    }

    private static String ref(String id) {
        return id == null || id.isBlank() ? null : id.strip().toLowerCase(Locale.ROOT);
    }

    /** A cluster, or {@code null} when the object has neither ID nor Name; remembers its nodes. */
    ClusterItem cluster(Item o) {
        String name = o.firstString("Name", "ClusterName");
        String ref = ref(o.firstString("ID", "Name", "ClusterName"));
        if (ref == null || name == null) {
            return null;
        }
        clusterByName.put(name.toLowerCase(Locale.ROOT), ref);
        String shortName = o.string("ClusterName");
        if (shortName != null) {
            clusterByName.put(shortName.toLowerCase(Locale.ROOT), ref);
        }
        for (String nodes : o.strings("Nodes")) {
            // past -Depth, the list is one string of the names joined by spaces
            for (String node : nodes.strip().split("\\s+")) {
                if (!node.isEmpty()) {
                    clusterOfHost.put(hostRef(node), ref);
                }
            }
        }
        return new ClusterItem(ref, name);
    }

    HostItem host(Item o) {
        String name = o.firstString("Name", "FullyQualifiedDomainName", "FQDN", "ComputerName");
        String ref = hostRef(name);
        if (ref == null) {
            return null;
        }
        String cluster = clusterOfHost.get(ref);
        if (cluster == null) {
            String fqdn = hostRef(o.firstString("FullyQualifiedDomainName", "FQDN"));
            cluster = fqdn == null ? null : clusterOfHost.get(fqdn);
        }
        Item hostCluster = o.object("HostCluster");
        if (cluster == null && hostCluster != null && hostCluster.string("ID") != null) {
            cluster = ref(hostCluster.string("ID"));
        }
        if (cluster == null) {
            String named = o.string("HostCluster");
            cluster = named == null ? null : clusterByName.get(named.toLowerCase(Locale.ROOT));
        }
        String raw = o.firstString("CommunicationStateString", "OverallStateString");
        return new HostItem(ref, name, cluster, (int) o.number("LogicalProcessorCount", 0), o.number("TotalMemory", 0),
                hostState(o.string("CommunicationStateString")), raw);
    }

    static VmItem vm(Item o) {
        String ref = ref(o.string("ID"));
        String name = o.string("Name");
        if (ref == null || name == null) {
            return null;
        }
        String raw = o.firstString("VirtualMachineStateString", "StatusString", "VirtualMachineState");
        return new VmItem(ref, name, false, hostRef(o.string("HostName")), (int) o.number("CPUCount", 0),
                o.number("Memory", 0), guestOs(o), addresses(o), vmState(raw), raw);
    }

    static VmItem template(Item o) {
        String ref = ref(o.string("ID"));
        String name = o.string("Name");
        if (ref == null || name == null) {
            return null;
        }
        return new VmItem(ref, name, true, null, (int) o.number("CPUCount", 0), o.number("Memory", 0), guestOs(o), List.of(),
                PowerState.OFF, "Template");
    }

    private static String guestOs(Item o) {
        String os = o.string("OperatingSystem");
        return os == null || os.isBlank() || os.equalsIgnoreCase("Unknown") ? null : os;
    }

    /** Addresses of the VM's adapters; past -Depth a list is written as its items joined by spaces. */
    private static List<String> addresses(Item o) {
        List<String> ips = new ArrayList<>(o.strings("IPv4Addresses"));
        for (Object adapter : o.list("VirtualNetworkAdapters")) {
            if (adapter instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Item a = new Item((Map<String, Object>) m);
                ips.addAll(a.strings("IPv4Addresses"));
                ips.addAll(a.strings("IPv6Addresses"));
            }
        }
        return ips.stream().flatMap(s -> Arrays.stream(s.strip().split("\\s+"))).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
