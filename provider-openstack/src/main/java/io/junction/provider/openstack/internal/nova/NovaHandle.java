package io.junction.provider.openstack.internal.nova;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.AuthenticationException;
import io.junction.api.InvalidInputException;
import io.junction.api.ProviderException;
import io.junction.api.ShownText;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.Capability;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova (inventory, power) of one compute connection, with Glance's images as templates. The token
 * comes from Keystone (the EMS's identity connection); Glance is found in the token's catalog.
 */
public final class NovaHandle implements ServiceHandle, InventoryCapability, PowerCapability {
    private static final Logger LOG = LoggerFactory.getLogger(NovaHandle.class);
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final CloudClient cloud;
    private final URI compute;
    private final Supplier<OpenStackSettings> settings;
    private final AtomicBoolean hostsForbiddenLogged = new AtomicBoolean();

    /** @param compute Nova's base URL, e.g. {@code https://nova:8774/v2.1} */
    public NovaHandle(CloudClient cloud, URI compute, Supplier<OpenStackSettings> settings) {
        this.cloud = cloud;
        String c = compute.toString();
        this.compute = URI.create(c.endsWith("/") ? c.substring(0, c.length() - 1) : c);
        this.settings = settings;
    }

    private URI at(String pathAndQuery) {
        return URI.create(compute + pathAndQuery);
    }

    @Override
    public void verify() {
        cloud.session().authenticate();
        HttpResponse<InputStream> r = cloud.get(at("/servers?limit=1"), "Nova");
        check(r, "Nova", "listing servers");
        JsonHttp.discard(r);
        HttpResponse<InputStream> h = cloud.get(at("/os-hypervisors?limit=1"), "Nova");
        if (h.statusCode() == 403) {
            warnHostsForbidden();
        }
        JsonHttp.discard(h);
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    private void warnHostsForbidden() {
        if (hostsForbiddenLogged.compareAndSet(false, true)) {
            LOG.warn("Nova at {} does not let this account list hypervisors (HTTP 403): the inventory has no hosts, "
                    + "and VMs name no host; give the account the admin role (or a policy allowing os-hypervisors) for them", compute.getHost());
        }
    }

    @Override
    public void collect(InventorySink sink) {
        OpenStackSettings s = settings.get();
        Map<String, String> zoneOfHost = zones(sink);
        hosts(sink, zoneOfHost, s);
        servers(sink, s.pageSize());
        templates(sink, s);
    }

    /** Availability zones as clusters; returns the zone of each compute service host when the account may see them. */
    private Map<String, String> zones(InventorySink sink) {
        Map<String, String> zoneOfHost = new HashMap<>();
        HttpResponse<InputStream> r = cloud.get(at("/os-availability-zone/detail"), "Nova");
        if (r.statusCode() == 403) {
            JsonHttp.discard(r);
            r = cloud.get(at("/os-availability-zone"), "Nova");
        }
        check(r, "Nova", "listing availability zones");
        JsonNode zones = JsonHttp.readTree(r, "Nova").path("availabilityZoneInfo");
        for (JsonNode z : zones) {
            ClusterItem c = NovaMapping.zone(z);
            if (c == null) {
                continue;
            }
            sink.cluster(c);
            for (var it = z.path("hosts").fieldNames(); it.hasNext(); ) {
                zoneOfHost.put(it.next(), c.emsRef());
            }
        }
        return zoneOfHost;
    }

    private void hosts(InventorySink sink, Map<String, String> zoneOfHost, OpenStackSettings s) {
        boolean[] forbidden = new boolean[1];
        // From compute 2.88 Nova no longer reports CPUs and memory; those hosts wait for Placement
        // (a few thousand at most, so holding them is fine) rather than being stored as zero.
        List<JsonNode> withoutCapacity = new ArrayList<>();
        pages("/os-hypervisors/detail", "hypervisors", s.pageSize(), "listing hypervisors", h -> {
            if (!NovaMapping.reportsCapacity(h)) {
                withoutCapacity.add(h);
                return;
            }
            HostItem host = NovaMapping.host(h, zoneOfHost);
            if (host != null) {
                sink.host(host);
            }
        }, forbidden);
        if (forbidden[0]) {
            warnHostsForbidden();
        }
        if (withoutCapacity.isEmpty()) {
            return;
        }
        URI placementUri = cloud.session().token().catalog().endpoint("placement", s.iface(), s.region())
                .orElseThrow(() -> new ProviderException("Nova at " + compute.getHost() + " reports no host CPUs and memory"
                        + " at compute microversion " + s.computeMicroversion() + " (from 2.88 they are in Placement), and the"
                        + " catalog names no placement service on interface " + s.iface()
                        + "; set computeMicroversion below 2.88"));
        PlacementCapacity placement = new PlacementCapacity(cloud, placementUri);
        for (JsonNode h : withoutCapacity) {
            String name = NovaMapping.text(h, "hypervisor_hostname");
            if (name == null) {
                continue;
            }
            PlacementCapacity.Capacity capacity = placement.of(NovaMapping.text(h, "id"), name);
            HostItem host = NovaMapping.host(h, zoneOfHost, capacity.vcpus(), capacity.memoryMb());
            if (host != null) {
                sink.host(host);
            }
        }
    }

    private void servers(InventorySink sink, int pageSize) {
        Map<String, NovaMapping.Flavor> flavors = new HashMap<>();
        boolean[] flavorsRead = new boolean[1];
        pages("/servers/detail", "servers", pageSize, "listing servers", s -> {
            if (!flavorsRead[0] && !s.path("flavor").has("vcpus") && s.path("flavor").has("id")) {
                flavorsRead[0] = true;
                flavors.putAll(flavors());
            }
            VmItem vm = NovaMapping.vm(s, flavors);
            if (vm != null) {
                sink.vm(vm);
            }
        }, null);
    }

    /** Flavors by id, for microversions before 2.47. */
    private Map<String, NovaMapping.Flavor> flavors() {
        Map<String, NovaMapping.Flavor> flavors = new HashMap<>();
        HttpResponse<InputStream> r = cloud.get(at("/flavors/detail?is_public=None"), "Nova");
        check(r, "Nova", "listing flavors");
        for (JsonNode f : JsonHttp.readTree(r, "Nova").path("flavors")) {
            flavors.put(f.path("id").asText(), new NovaMapping.Flavor(f.path("vcpus").asInt(0), f.path("ram").asLong(0)));
        }
        return flavors;
    }

    /**
     * Reads a paged list to its end, page by page ({@code limit}, {@code marker} of the
     * {@code rel=next} link), streaming each page. The next page is asked of this connection
     * (only the marker of the link is used), so a proxy that rewrites host names does not matter.
     *
     * @param forbidden when not {@code null}, a 403 sets it instead of failing
     */
    private void pages(String path, String field, int pageSize, String doing, Consumer<JsonNode> each, boolean[] forbidden) {
        String marker = null;
        while (true) {
            String query = "?limit=" + pageSize + (marker == null ? "" : "&marker=" + URLEncoder.encode(marker, StandardCharsets.UTF_8));
            HttpResponse<InputStream> r = cloud.get(at(path + query), "Nova");
            if (forbidden != null && r.statusCode() == 403) {
                JsonHttp.discard(r);
                forbidden[0] = true;
                return;
            }
            check(r, "Nova", doing);
            PageReader.Page page;
            try (InputStream in = r.body()) {
                page = PageReader.read(in, field, each);
            } catch (java.io.IOException e) {
                throw new ProviderException("Nova at " + compute.getHost() + ": " + doing + " failed: " + e.getMessage(), e);
            }
            String next = PageReader.marker(page.next());
            if (next == null || page.items() == 0 || next.equals(marker)) {
                return;
            }
            marker = next;
        }
    }

    /** Glance's images as templates, from the image endpoint of the token's catalog; none when the catalog has none. */
    private void templates(InventorySink sink, OpenStackSettings s) {
        Optional<URI> glance = cloud.session().token().catalog().endpoint("image", s.iface(), s.region());
        if (glance.isEmpty()) {
            LOG.info("The catalog names no image service on interface {}: no templates", s.iface());
            return;
        }
        String base = glance.get().toString().replaceAll("/+$", "");
        String images = base.endsWith("/v2") ? base + "/images" : base + "/v2/images";
        String marker = null;
        while (true) {
            URI uri = URI.create(images + "?limit=" + s.pageSize()
                    + (marker == null ? "" : "&marker=" + URLEncoder.encode(marker, StandardCharsets.UTF_8)));
            HttpResponse<InputStream> r = cloud.get(uri, "Glance");
            if (r.statusCode() == 403) {
                JsonHttp.discard(r);
                LOG.warn("Glance at {} does not let this account list images (HTTP 403): no templates", uri.getHost());
                return;
            }
            check(r, "Glance", "listing images");
            PageReader.Page page;
            try (InputStream in = r.body()) {
                page = PageReader.read(in, "images", i -> {
                    VmItem t = NovaMapping.template(i);
                    if (t != null) {
                        sink.vm(t);
                    }
                });
            } catch (java.io.IOException e) {
                throw new ProviderException("Glance: listing images failed: " + e.getMessage(), e);
            }
            String next = PageReader.marker(page.next());
            if (next == null || page.items() == 0 || next.equals(marker)) {
                return;
            }
            marker = next;
        }
    }

    private static void check(HttpResponse<InputStream> r, String service, String doing) {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String m = JsonHttp.errorMessage(r);
        String where = service + " at " + r.uri().getHost() + ":" + r.uri().getPort();
        if (status == 403) {
            throw new AuthenticationException(where + " does not let this account do " + doing + " (HTTP 403" + (m.isEmpty() ? "" : ": " + m) + ")");
        }
        throw new ProviderException(where + ": " + doing + " failed with HTTP " + status + (m.isEmpty() ? "" : ": " + m)
                + (status == 404 ? " (is the connection's path the API's base, e.g. /v2.1?)" : ""));
    }

    @Override
    public Set<PowerAction> supportedActions() {
        return EnumSet.allOf(PowerAction.class);
    }

    @Override
    public PowerResult perform(String vmRef, PowerAction action) {
        String id = vmRef == null ? "" : vmRef.strip();
        if (!SERVER_ID.matcher(id).matches()) {
            throw new InvalidInputException("not a Nova server id: " + ShownText.quote(vmRef));
        }
        HttpResponse<InputStream> r = cloud.post(at("/servers/" + id + "/action"), NovaMapping.actionBody(action), "Nova");
        int status = r.statusCode();
        if (status == 409) {
            throw new ProviderException(NovaMapping.conflict(id, action, JsonHttp.errorMessage(r)));
        }
        if (status == 404) {
            JsonHttp.discard(r);
            throw new ProviderException("Nova at " + compute.getHost() + " has no server with id " + id);
        }
        check(r, "Nova", action.label() + " of VM " + id);
        JsonHttp.discard(r);
        return stateOf(id);
    }

    /** The server's state right after an action; unknown while a task (powering-off…) runs. */
    private PowerResult stateOf(String id) {
        HttpResponse<InputStream> r = cloud.get(at("/servers/" + id), "Nova");
        if (r.statusCode() != 200) {
            JsonHttp.discard(r);
            return new PowerResult(PowerState.UNKNOWN, "");
        }
        JsonNode s = JsonHttp.readTree(r, "Nova").path("server");
        VmItem vm = NovaMapping.vm(s, Map.of());
        String task = NovaMapping.text(s, "OS-EXT-STS:task_state");
        if (vm == null) {
            return new PowerResult(PowerState.UNKNOWN, "");
        }
        return task == null ? new PowerResult(vm.powerState(), vm.rawState())
                : new PowerResult(PowerState.UNKNOWN, vm.rawState() + " " + task);
    }

    @Override
    public void close() {
        cloud.close();
    }
}
