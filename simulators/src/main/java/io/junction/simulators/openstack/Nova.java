package io.junction.simulators.openstack;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Nova's compute API v2.1 (the parts Junction uses), with microversions. */
final class Nova {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern VERSION = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");
    private static final Pattern SERVER = Pattern.compile("^/v2\\.1/servers/([^/]+)$");
    private static final Pattern ACTION = Pattern.compile("^/v2\\.1/servers/([^/]+)/action$");
    private static final Pattern FLAVOR = Pattern.compile("^/v2\\.1/flavors/([^/]+)$");
    private static final Pattern LIMIT = Pattern.compile("^[0-9]*$");

    /** A refusal that ends the request with Nova's fault body. */
    static final class Fault extends Exception {
        final int code;

        Fault(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final OpenStackConfig config;
    private final OpenStackSimulator sim;
    private final Inventory inventory;

    Nova(OpenStackConfig config, OpenStackSimulator sim, Inventory inventory) {
        this.config = config;
        this.sim = sim;
        this.inventory = inventory;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String tokenId = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (path.equals("/") || path.equals("/v2.1") || path.equals("/v2.1/")) {
            int status = versions(exchange, path.equals("/"));
            sim.log("nova", exchange, tokenId, null, status);
            return;
        }
        Optional<Keystone.Token> token = sim.keystone().valid(tokenId);
        if (token.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Keystone uri=\"" + sim.keystoneUrl() + "\"");
            Http.send(exchange, 401, Http.unauthorized());
            sim.log("nova", exchange, tokenId, null, 401);
            return;
        }
        int minor;
        try {
            minor = microversion(exchange);
        } catch (Fault f) {
            Http.send(exchange, f.code, Http.novaFault(f.code, f.getMessage()));
            sim.log("nova", exchange, tokenId, null, f.code);
            return;
        }
        String version = "2." + minor;
        exchange.getResponseHeaders().set("OpenStack-API-Version", "compute " + version);
        exchange.getResponseHeaders().set("X-OpenStack-Nova-API-Version", version);
        exchange.getResponseHeaders().set("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
        int status;
        try {
            if (method.equals("GET") && sim.recorded().serve(exchange, "nova")) {
                status = 200;
            } else {
                status = route(exchange, method, path, token.get(), minor);
            }
        } catch (Fault f) {
            Http.send(exchange, f.code, Http.novaFault(f.code, f.getMessage()));
            status = f.code;
        }
        sim.log("nova", exchange, tokenId, version, status);
    }

    private int route(HttpExchange exchange, String method, String path, Keystone.Token token, int minor)
            throws IOException, Fault {
        Map<String, String> query = Http.query(exchange.getRequestURI().getRawQuery());
        Matcher m;
        if (path.equals("/v2.1/servers/detail") || path.equals("/v2.1/servers")) {
            if (path.equals("/v2.1/servers") && method.equals("POST")) {
                throw new Fault(403, "Policy doesn't allow os_compute_api:servers:create to be performed.");
            }
            requireGet(method);
            return servers(exchange, query, token, minor, path.endsWith("/detail"));
        }
        if ((m = ACTION.matcher(path)).matches()) {
            if (!method.equals("POST")) {
                throw new Fault(405, "The method specified is not allowed for this resource.");
            }
            return action(exchange, m.group(1), token);
        }
        if ((m = SERVER.matcher(path)).matches()) {
            requireGet(method);
            Inventory.Server server = visible(m.group(1), token);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator json = Http.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeFieldName("server");
                synchronized (inventory) {
                    server(json, server, token, minor, true);
                }
                json.writeEndObject();
            }
            Http.send(exchange, 200, out.toByteArray());
            return 200;
        }
        if (path.equals("/v2.1/flavors/detail") || path.equals("/v2.1/flavors")) {
            requireGet(method);
            ObjectNode body = Http.object();
            ArrayNode list = body.putArray("flavors");
            inventory.flavors.forEach(f -> flavor(list.addObject(), f, minor, path.endsWith("/detail")));
            Http.send(exchange, 200, body);
            return 200;
        }
        if ((m = FLAVOR.matcher(path)).matches()) {
            requireGet(method);
            String id = m.group(1);
            Inventory.Flavor flavor = inventory.flavors.stream().filter(f -> f.id().equals(id)).findFirst()
                    .orElseThrow(() -> new Fault(404, "Flavor " + id + " could not be found."));
            ObjectNode body = Http.object();
            flavor(body.putObject("flavor"), flavor, minor, true);
            Http.send(exchange, 200, body);
            return 200;
        }
        if (path.equals("/v2.1/os-hypervisors/detail") || path.equals("/v2.1/os-hypervisors")) {
            requireGet(method);
            boolean detail = path.endsWith("/detail");
            if (!token.user().admin()) {
                throw new Fault(403, "Policy doesn't allow os_compute_api:os-hypervisors:" + (detail ? "list-detail" : "list")
                        + " to be performed.");
            }
            Http.send(exchange, 200, hypervisors(minor, detail));
            return 200;
        }
        if (path.equals("/v2.1/os-availability-zone") || path.equals("/v2.1/os-availability-zone/detail")) {
            requireGet(method);
            boolean detail = path.endsWith("/detail");
            if (detail && !token.user().admin()) {
                throw new Fault(403, "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.");
            }
            ObjectNode body = Http.object();
            ArrayNode zones = body.putArray("availabilityZoneInfo");
            for (String zone : inventory.zones) {
                ObjectNode z = zones.addObject();
                z.put("zoneName", zone);
                z.putObject("zoneState").put("available", true);
                if (detail) {
                    ObjectNode hosts = z.putObject("hosts");
                    for (Inventory.Hypervisor h : inventory.hypervisors) {
                        if (h.zone().equals(zone)) {
                            hosts.putObject(h.host()).putObject("nova-compute").put("available", true).put("active", true)
                                    .put("updated_at", TIME.format(sim.now()));
                        }
                    }
                } else {
                    z.putNull("hosts");
                }
            }
            Http.send(exchange, 200, body);
            return 200;
        }
        throw new Fault(404, "The resource could not be found.");
    }

    private static void requireGet(String method) throws Fault {
        if (!method.equals("GET")) {
            throw new Fault(405, "The method specified is not allowed for this resource.");
        }
    }

    private int versions(HttpExchange exchange, boolean root) throws IOException {
        ObjectNode v21 = Http.object();
        v21.put("id", "v2.1").put("status", "CURRENT").put("version", "2." + config.maxMicroversion())
                .put("min_version", "2." + config.minMicroversion()).put("updated", "2013-07-23T11:33:21Z");
        v21.putArray("links").addObject().put("rel", "self").put("href", sim.novaUrl() + "/");
        ObjectNode body = Http.object();
        if (root) {
            ArrayNode list = body.putArray("versions");
            ObjectNode v2 = list.addObject();
            v2.put("id", "v2.0").put("status", "DEPRECATED").put("version", "").put("min_version", "")
                    .put("updated", "2011-01-21T11:33:21Z");
            v2.putArray("links").addObject().put("rel", "self").put("href", sim.novaRoot() + "/v2/");
            list.add(v21);
        } else {
            v21.putArray("media-types").addObject().put("base", "application/json")
                    .put("type", "application/vnd.openstack.compute+json;version=2.1");
            body.set("version", v21);
        }
        Http.send(exchange, 200, body);
        return 200;
    }

    /** The compute microversion asked for (minor number), 2.1 when none. */
    private int microversion(HttpExchange exchange) throws Fault {
        String asked = Http.requestedMicroversion(exchange, "compute");
        if (asked == null) {
            asked = exchange.getRequestHeaders().getFirst("X-OpenStack-Nova-API-Version");
        }
        if (asked == null) {
            return config.minMicroversion();
        }
        asked = asked.trim();
        if (asked.equalsIgnoreCase("latest")) {
            return config.maxMicroversion();
        }
        Matcher m = VERSION.matcher(asked);
        if (!m.matches()) {
            throw new Fault(400, "API Version String " + asked + " is of invalid format. Must be of format MajorNum.MinorNum.");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2).length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        if (major != 2 || minor < config.minMicroversion() || minor > config.maxMicroversion()) {
            throw new Fault(406, "Version " + asked + " is not supported by the API. Minimum is 2." + config.minMicroversion()
                    + " and maximum is 2." + config.maxMicroversion() + ".");
        }
        return minor;
    }

    private Inventory.Server visible(String id, Keystone.Token token) throws Fault {
        Inventory.Server server = inventory.server(id);
        if (server == null || !(token.user().admin() || server.tenantId.equals(token.projectId()))) {
            throw new Fault(404, "Instance " + id + " could not be found.");
        }
        return server;
    }

    private int servers(HttpExchange exchange, Map<String, String> query, Keystone.Token token, int minor, boolean detail)
            throws IOException, Fault {
        int limit = config.maxLimit();
        if (query.containsKey("limit")) {
            String raw = query.get("limit");
            if (!LIMIT.matcher(raw).matches() || raw.isEmpty()) {
                throw new Fault(400, "Invalid input for query parameters limit. Value: " + raw + ". '" + raw
                        + "' does not match '^[0-9]*$'");
            }
            limit = raw.length() > 9 ? config.maxLimit() : Math.min(Integer.parseInt(raw), config.maxLimit());
        }
        boolean allTenants = query.containsKey("all_tenants") && !query.get("all_tenants").equalsIgnoreCase("false")
                && !query.get("all_tenants").equals("0");
        if (allTenants && !token.user().admin()) {
            throw new Fault(403, "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.");
        }
        String tenant = allTenants ? null : token.projectId();
        int start = 0;
        if (query.containsKey("marker")) {
            String marker = query.get("marker");
            int at = inventory.position(marker);
            Inventory.Server s = at < 0 ? null : inventory.servers.get(at);
            if (s == null || (tenant != null && !s.tenantId.equals(tenant))) {
                throw new Fault(400, "marker [" + marker + "] not found");
            }
            start = at + 1;
        }
        exchange.getResponseHeaders().set("Content-Type", Http.JSON_TYPE);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody();
                JsonGenerator json = Http.JSON.getFactory().createGenerator(body, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("servers");
            int written = 0;
            String last = null;
            Iterator<Inventory.Server> it = inventory.servers.listIterator(start);
            while (written < limit && it.hasNext()) {
                Inventory.Server s = it.next();
                if (tenant != null && !s.tenantId.equals(tenant)) {
                    continue;
                }
                synchronized (inventory) {
                    server(json, s, token, minor, detail);
                }
                written++;
                last = s.id;
            }
            json.writeEndArray();
            // like Nova, a full page always gets a next link, even when nothing follows
            if (limit > 0 && written == limit) {
                StringBuilder next = new StringBuilder(sim.novaUrl()).append("/servers").append(detail ? "/detail" : "").append('?');
                for (Map.Entry<String, String> e : query.entrySet()) {
                    if (!e.getKey().equals("marker") && !e.getKey().equals("limit")) {
                        next.append(enc(e.getKey())).append('=').append(enc(e.getValue())).append('&');
                    }
                }
                next.append("limit=").append(limit).append("&marker=").append(last);
                json.writeArrayFieldStart("servers_links");
                json.writeStartObject();
                json.writeStringField("href", next.toString());
                json.writeStringField("rel", "next");
                json.writeEndObject();
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        exchange.close();
        return 200;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void server(JsonGenerator json, Inventory.Server s, Keystone.Token token, int minor, boolean detail) throws IOException {
        json.writeStartObject();
        boolean admin = token.user().admin();
        if (!detail) {
            json.writeStringField("id", s.id);
            links(json, "servers", s.id);
            json.writeStringField("name", s.name);
            json.writeEndObject();
            return;
        }
        json.writeStringField("OS-DCF:diskConfig", "MANUAL");
        json.writeStringField("OS-EXT-AZ:availability_zone", s.hypervisor.zone());
        if (admin) {
            json.writeStringField("OS-EXT-SRV-ATTR:host", s.hypervisor.host());
            json.writeStringField("OS-EXT-SRV-ATTR:hypervisor_hostname", s.hypervisor.hostname());
            json.writeStringField("OS-EXT-SRV-ATTR:instance_name", String.format("instance-%08x", s.index + 1));
            if (minor >= 3) {
                json.writeStringField("OS-EXT-SRV-ATTR:hostname", s.name);
                json.writeNumberField("OS-EXT-SRV-ATTR:launch_index", 0);
                json.writeStringField("OS-EXT-SRV-ATTR:reservation_id", "r-" + s.id.substring(0, 8));
                json.writeStringField("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda");
                json.writeStringField("OS-EXT-SRV-ATTR:kernel_id", "");
                json.writeStringField("OS-EXT-SRV-ATTR:ramdisk_id", "");
                json.writeNullField("OS-EXT-SRV-ATTR:user_data");
            }
        }
        json.writeNumberField("OS-EXT-STS:power_state", s.state.powerState);
        json.writeNullField("OS-EXT-STS:task_state");
        json.writeStringField("OS-EXT-STS:vm_state", s.state.vmState);
        json.writeStringField("OS-SRV-USG:launched_at", s.created.plusSeconds(20).toString().replace("Z", ".000000"));
        json.writeNullField("OS-SRV-USG:terminated_at");
        json.writeStringField("accessIPv4", "");
        json.writeStringField("accessIPv6", "");
        json.writeObjectFieldStart("addresses");
        json.writeArrayFieldStart("private");
        json.writeStartObject();
        json.writeStringField("OS-EXT-IPS-MAC:mac_addr", s.mac);
        json.writeStringField("OS-EXT-IPS:type", "fixed");
        json.writeStringField("addr", s.ip);
        json.writeNumberField("version", 4);
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeStringField("config_drive", "");
        json.writeStringField("created", TIME.format(s.created));
        if (minor >= 19) {
            json.writeNullField("description");
        }
        json.writeObjectFieldStart("flavor");
        if (minor >= 47) {
            json.writeNumberField("disk", s.flavor.disk());
            json.writeNumberField("ephemeral", 0);
            json.writeObjectFieldStart("extra_specs");
            json.writeEndObject();
            json.writeStringField("original_name", s.flavor.name());
            json.writeNumberField("ram", s.flavor.ram());
            json.writeNumberField("swap", 0);
            json.writeNumberField("vcpus", s.flavor.vcpus());
        } else {
            json.writeStringField("id", s.flavor.id());
            json.writeArrayFieldStart("links");
            json.writeStartObject();
            json.writeStringField("href", sim.novaRoot() + "/flavors/" + s.flavor.id());
            json.writeStringField("rel", "bookmark");
            json.writeEndObject();
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeStringField("hostId", Inventory.uuid(0, "hostId/" + s.tenantId, s.hypervisor.id()).replace("-", "")
                + "0123456789abcdef01234567");
        if (minor >= 16 && admin) {
            json.writeStringField("host_status", "UP");
        }
        json.writeStringField("id", s.id);
        json.writeObjectFieldStart("image");
        json.writeStringField("id", s.image.id());
        json.writeArrayFieldStart("links");
        json.writeStartObject();
        json.writeStringField("href", sim.novaRoot() + "/images/" + s.image.id());
        json.writeStringField("rel", "bookmark");
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeNullField("key_name");
        links(json, "servers", s.id);
        if (minor >= 9) {
            json.writeBooleanField("locked", false);
        }
        if (minor >= 73) {
            json.writeNullField("locked_reason");
        }
        json.writeObjectFieldStart("metadata");
        json.writeEndObject();
        json.writeStringField("name", s.name);
        json.writeArrayFieldStart("os-extended-volumes:volumes_attached");
        json.writeEndArray();
        json.writeNumberField("progress", 0);
        json.writeArrayFieldStart("security_groups");
        json.writeStartObject();
        json.writeStringField("name", "default");
        json.writeEndObject();
        json.writeEndArray();
        json.writeStringField("status", s.state.status);
        if (minor >= 26) {
            json.writeArrayFieldStart("tags");
            json.writeEndArray();
        }
        json.writeStringField("tenant_id", s.tenantId);
        if (minor >= 63) {
            json.writeNullField("trusted_image_certificates");
        }
        json.writeStringField("updated", TIME.format(s.updated));
        json.writeStringField("user_id", s.userId);
        json.writeEndObject();
    }

    private void links(JsonGenerator json, String collection, String id) throws IOException {
        json.writeArrayFieldStart("links");
        json.writeStartObject();
        json.writeStringField("href", sim.novaUrl() + "/" + collection + "/" + id);
        json.writeStringField("rel", "self");
        json.writeEndObject();
        json.writeStartObject();
        json.writeStringField("href", sim.novaRoot() + "/" + collection + "/" + id);
        json.writeStringField("rel", "bookmark");
        json.writeEndObject();
        json.writeEndArray();
    }

    private void flavor(ObjectNode f, Inventory.Flavor flavor, int minor, boolean detail) {
        f.put("id", flavor.id()).put("name", flavor.name());
        ArrayNode links = f.putArray("links");
        links.addObject().put("href", sim.novaUrl() + "/flavors/" + flavor.id()).put("rel", "self");
        links.addObject().put("href", sim.novaRoot() + "/flavors/" + flavor.id()).put("rel", "bookmark");
        if (minor >= 55) {
            f.putNull("description");
        }
        if (!detail) {
            return;
        }
        f.put("OS-FLV-DISABLED:disabled", false).put("OS-FLV-EXT-DATA:ephemeral", 0).put("disk", flavor.disk())
                .put("os-flavor-access:is_public", true).put("ram", flavor.ram()).put("rxtx_factor", 1.0).put("swap", "")
                .put("vcpus", flavor.vcpus());
        if (minor >= 61) {
            f.putObject("extra_specs");
        }
    }

    private ObjectNode hypervisors(int minor, boolean detail) {
        ObjectNode body = Http.object();
        ArrayNode list = body.putArray("hypervisors");
        synchronized (inventory) {
            for (Inventory.Hypervisor h : inventory.hypervisors) {
                ObjectNode o = list.addObject();
                if (minor >= 53) {
                    o.put("id", h.uuid());
                } else {
                    o.put("id", h.id());
                }
                o.put("hypervisor_hostname", h.hostname()).put("state", "up").put("status", "enabled");
                if (!detail) {
                    continue;
                }
                int vcpusUsed = 0;
                int ramUsed = 512;
                int diskUsed = 0;
                int running = 0;
                for (Inventory.Server s : inventory.servers) {
                    if (s.hypervisor == h) {
                        vcpusUsed += s.flavor.vcpus();
                        ramUsed += s.flavor.ram();
                        diskUsed += s.flavor.disk();
                        running++;
                    }
                }
                o.put("host_ip", h.ip()).put("hypervisor_type", "QEMU").put("hypervisor_version", 8002000);
                ObjectNode service = o.putObject("service");
                service.put("host", h.host()).putNull("disabled_reason");
                if (minor >= 53) {
                    service.put("id", Inventory.uuid(0, "service", h.id()));
                } else {
                    service.put("id", h.id() + 4);
                }
                if (minor >= 88) {
                    o.put("uptime", " 08:00:00 up 30 days,  1 user,  load average: 0.10, 0.12, 0.08");
                    continue;
                }
                o.put("vcpus", h.vcpus()).put("memory_mb", h.memoryMb()).put("local_gb", h.localGb())
                        .put("vcpus_used", vcpusUsed).put("memory_mb_used", ramUsed).put("local_gb_used", diskUsed)
                        .put("free_ram_mb", h.memoryMb() - ramUsed).put("free_disk_gb", h.localGb() - diskUsed)
                        .put("current_workload", 0).put("running_vms", running).put("disk_available_least", h.localGb() - diskUsed)
                        .put("cpu_info", "{\"arch\": \"x86_64\", \"model\": \"EPYC-Rome\", \"vendor\": \"AMD\", "
                                + "\"topology\": {\"cells\": 1, \"sockets\": 1, \"cores\": 32, \"threads\": 2}}");
            }
        }
        return body;
    }

    private int action(HttpExchange exchange, String id, Keystone.Token token) throws IOException, Fault {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            String media = contentType.split(";")[0].trim().toLowerCase();
            if (!media.equals("application/json") && !media.equals("application/vnd.openstack.compute+json")) {
                throw new Fault(415, "Unsupported Content-Type");
            }
        }
        JsonNode body;
        try {
            body = Http.JSON.readTree(Http.readBody(exchange));
        } catch (IOException e) {
            throw new Fault(400, "Malformed request body");
        }
        if (body == null || !body.isObject() || body.size() != 1) {
            throw new Fault(400, "Malformed request body");
        }
        Inventory.Server server = visible(id, token);
        String action = body.fieldNames().next();
        JsonNode argument = body.get(action);
        String event;
        Inventory.State from;
        synchronized (inventory) {
            from = server.state;
            Inventory.State to;
            switch (action) {
                case "os-start" -> {
                    nullArgument(action, argument);
                    require(server, "start", from == Inventory.State.SHUTOFF);
                    to = Inventory.State.ACTIVE;
                    event = "instance.power_on";
                }
                case "os-stop" -> {
                    nullArgument(action, argument);
                    require(server, "stop", from == Inventory.State.ACTIVE);
                    to = Inventory.State.SHUTOFF;
                    event = "instance.power_off";
                }
                case "reboot" -> {
                    if (!argument.isObject() || !argument.has("type") || argument.size() != 1) {
                        throw new Fault(400, "Invalid input for field/attribute reboot. Value: " + argument
                                + ". 'type' is a required property");
                    }
                    String type = argument.get("type").asText("");
                    if (!List.of("HARD", "Hard", "hard", "SOFT", "Soft", "soft").contains(type) || !argument.get("type").isTextual()) {
                        throw new Fault(400, "Invalid input for field/attribute type. Value: " + type + ". '" + type
                                + "' is not one of ['HARD', 'Soft', 'soft', 'SOFT', 'Hard', 'hard']");
                    }
                    boolean hard = type.equalsIgnoreCase("HARD");
                    require(server, "reboot", hard || from == Inventory.State.ACTIVE);
                    to = Inventory.State.ACTIVE;
                    event = "instance.reboot";
                }
                case "suspend" -> {
                    nullArgument(action, argument);
                    require(server, "suspend", from == Inventory.State.ACTIVE);
                    to = Inventory.State.SUSPENDED;
                    event = "instance.suspend";
                }
                case "resume" -> {
                    nullArgument(action, argument);
                    require(server, "resume", from == Inventory.State.SUSPENDED);
                    to = Inventory.State.ACTIVE;
                    event = "instance.resume";
                }
                default -> throw new Fault(404, "The resource could not be found.");
            }
            server.state = to;
            server.updated = sim.now().truncatedTo(ChronoUnit.SECONDS);
        }
        // published before the 202 (Nova sends them later): a test that got its 202 can already consume them
        sim.notifyAction(server, event, from, token);
        Http.empty(exchange, 202);
        return 202;
    }

    private static void nullArgument(String action, JsonNode argument) throws Fault {
        if (!argument.isNull()) {
            throw new Fault(400, "Invalid input for field/attribute " + action + ". Value: " + argument + ". "
                    + argument + " is not of type 'null'");
        }
    }

    private static void require(Inventory.Server server, String method, boolean allowed) throws Fault {
        if (!allowed) {
            throw new Fault(409, "Cannot '" + method + "' instance " + server.id + " while it is in vm_state " + server.state.vmState);
        }
    }

    static String timestamp(Instant instant) {
        return instant.toString();
    }
}
