package io.junction.provider.openstack.internal.nova;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.PowerAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Nova and Glance JSON (field names as in OpenStack's API) to Junction's inventory items. */
public final class NovaMapping {
    private static final Pattern VM_STATE = Pattern.compile("vm_state (\\w+)");

    private NovaMapping() {
    }

    /** CPUs and memory of a flavor. */
    public record Flavor(int vcpus, long ramMb) {
    }

    /**
     * A server of {@code GET /servers/detail}; {@code null} when it has no id.
     *
     * @param flavors flavors by id, for microversions before 2.47 whose servers name their flavor only by id
     */
    public static VmItem vm(JsonNode s, Map<String, Flavor> flavors) {
        String id = text(s, "id");
        if (id == null) {
            return null;
        }
        String name = text(s, "name");
        JsonNode flavor = s.path("flavor");
        int vcpus = flavor.path("vcpus").asInt(0);
        long ram = flavor.path("ram").asLong(0);
        if (vcpus == 0 && ram == 0 && flavor.hasNonNull("id") && flavors != null) {
            Flavor f = flavors.get(flavor.get("id").asText());
            if (f != null) {
                vcpus = f.vcpus();
                ram = f.ramMb();
            }
        }
        String host = text(s, "OS-EXT-SRV-ATTR:hypervisor_hostname");
        List<String> addresses = new ArrayList<>();
        for (Iterator<JsonNode> nets = s.path("addresses").elements(); nets.hasNext(); ) {
            for (JsonNode a : nets.next()) {
                String addr = text(a, "addr");
                if (addr != null && !addresses.contains(addr)) {
                    addresses.add(addr);
                }
            }
        }
        String guestOs = text(s.path("metadata"), "os_type");
        String status = text(s, "status");
        JsonNode ps = s.get("OS-EXT-STS:power_state");
        Integer powerState = ps != null && ps.canConvertToInt() ? ps.asInt() : null;
        String vmState = text(s, "OS-EXT-STS:vm_state");
        return new VmItem(id, name == null ? id : name, false, host == null ? null : host.toLowerCase(Locale.ROOT), vcpus, ram,
                guestOs, addresses, powerState(powerState, vmState), rawState(status, powerState, vmState));
    }

    /** {@code OS-EXT-STS:power_state}: 1 running → on; 0 no state, 4 shutdown, 6 crashed → off; 3 paused, 7 suspended → suspended. */
    public static PowerState powerState(Integer powerState, String vmState) {
        if (powerState != null) {
            return switch (powerState) {
                case 1 -> PowerState.ON;
                case 0, 4, 6 -> PowerState.OFF;
                case 3, 7 -> PowerState.SUSPENDED;
                default -> PowerState.UNKNOWN;
            };
        }
        if (vmState == null) {
            return PowerState.UNKNOWN;
        }
        return switch (vmState) {
            case "active" -> PowerState.ON;
            case "stopped", "shelved", "shelved_offloaded" -> PowerState.OFF;
            case "suspended", "paused" -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }

    /** {@code ACTIVE/1}: the server's status and power state, or vm_state when there is no power state. */
    public static String rawState(String status, Integer powerState, String vmState) {
        String s = status == null ? "" : status;
        if (powerState != null) {
            return s + "/" + powerState;
        }
        return vmState == null ? s : s + "/" + vmState;
    }

    /** A hypervisor of {@code GET /os-hypervisors/detail}; its emsRef is its host name in lower case, what servers name it by. */
    public static HostItem host(JsonNode h, Map<String, String> zoneOfServiceHost) {
        return host(h, zoneOfServiceHost, h.path("vcpus").asInt(0), h.path("memory_mb").asLong(0));
    }

    /**
     * Whether a hypervisor of {@code os-hypervisors/detail} reports its CPUs and memory: Nova stopped
     * doing so at compute microversion 2.88, where Placement's inventories are the source.
     */
    public static boolean reportsCapacity(JsonNode h) {
        return h.has("vcpus") || h.has("memory_mb");
    }

    /** A hypervisor with its capacity from elsewhere (Placement), for microversions from 2.88. */
    public static HostItem host(JsonNode h, Map<String, String> zoneOfServiceHost, int vcpus, long memoryMb) {
        String name = text(h, "hypervisor_hostname");
        if (name == null) {
            return null;
        }
        String serviceHost = text(h.path("service"), "host");
        String zone = serviceHost == null ? null : zoneOfServiceHost.get(serviceHost);
        String state = text(h, "state");
        String status = text(h, "status");
        PowerState power = "up".equals(state) ? PowerState.ON : "down".equals(state) ? PowerState.OFF : PowerState.UNKNOWN;
        return new HostItem(name.toLowerCase(Locale.ROOT), name, zone, vcpus, memoryMb * 1024 * 1024, power,
                (state == null ? "" : state) + (status == null ? "" : "/" + status));
    }

    /** An availability zone of {@code GET /os-availability-zone[/detail]}; {@code null} for Nova's own {@code internal} zone. */
    public static ClusterItem zone(JsonNode z) {
        String name = text(z, "zoneName");
        if (name == null || name.equals("internal")) {
            return null;
        }
        return new ClusterItem(name, name);
    }

    /** An image of Glance's {@code GET /v2/images} as a template. */
    public static VmItem template(JsonNode i) {
        String id = text(i, "id");
        if (id == null) {
            return null;
        }
        String name = text(i, "name");
        String os = text(i, "os_distro");
        String status = text(i, "status");
        return new VmItem(id, name == null ? id : name, true, null, 0, i.path("min_ram").asLong(0), os, List.of(),
                PowerState.OFF, "image/" + (status == null ? "" : status));
    }

    /** The body of {@code POST /servers/{id}/action} for an action. */
    public static String actionBody(PowerAction action) {
        return switch (action) {
            case START -> "{\"os-start\":null}";
            case STOP, SHUTDOWN -> "{\"os-stop\":null}";
            case RESTART -> "{\"reboot\":{\"type\":\"SOFT\"}}";
            case RESET -> "{\"reboot\":{\"type\":\"HARD\"}}";
            case SUSPEND -> "{\"suspend\":null}";
            case RESUME -> "{\"resume\":null}";
        };
    }

    /** One line for a 409: what the state says ("VM is already stopped"), then Nova's own message. */
    public static String conflict(String vmRef, PowerAction action, String novaMessage) {
        Matcher m = VM_STATE.matcher(novaMessage == null ? "" : novaMessage);
        String state = m.find() ? m.group(1) : null;
        String said = null;
        if (state != null) {
            said = switch (action) {
                case START -> state.equals("active") ? "VM is already running" : null;
                case STOP, SHUTDOWN -> state.equals("stopped") ? "VM is already stopped" : null;
                case SUSPEND -> state.equals("suspended") ? "VM is already suspended" : null;
                case RESUME -> state.equals("suspended") ? null : "VM is not suspended (it is " + state + ")";
                case RESTART, RESET -> state.equals("active") ? null : "VM is not running (it is " + state + ")";
            };
            if (said == null) {
                said = "VM " + vmRef + " cannot " + action.label() + " while it is " + state;
            }
        }
        String nova = novaMessage == null || novaMessage.isBlank() ? "" : novaMessage;
        if (said == null) {
            return "Nova refused to " + action.label() + " VM " + vmRef + (nova.isEmpty() ? " (HTTP 409)" : ": " + nova);
        }
        return said + (nova.isEmpty() ? "" : " (Nova: " + nova + ")");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
