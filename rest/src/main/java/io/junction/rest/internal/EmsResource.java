package io.junction.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Secret;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.service.ConnectionDiscovery;
import io.junction.api.service.PowerAction;
import io.junction.api.service.VmPower;
import io.junction.api.store.EventStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.store.StoredEvent;
import io.junction.api.service.EmsEvent;
import io.junction.api.Ems;
import io.junction.api.security.AuditTrail;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.store.EmsStore;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The EMSs: {@code /api/v1/ems} (list, create) and {@code /api/v1/ems/{id or name}} (show, rename,
 * remove), with the capability matrix at {@code /api/v1/ems/{id or name}/capabilities}; the same
 * store and router calls, and the same roles, as the {@code ems:*} commands.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/v1/ems",
        "osgi.http.whiteboard.servlet.pattern=/api/v1/ems/*",
        "osgi.http.whiteboard.context.select=" + ApiContext.SELECT,
        Route.PROPERTY + "=GET /api/v1/ems viewer",
        Route.PROPERTY + "=POST /api/v1/ems admin NewEms",
        Route.PROPERTY + "=GET /api/v1/ems/{ems} viewer",
        Route.PROPERTY + "=PATCH /api/v1/ems/{ems} admin EmsChange",
        Route.PROPERTY + "=DELETE /api/v1/ems/{ems} admin",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/capabilities viewer",
        Route.PROPERTY + "=POST /api/v1/ems/{ems}/verify operator VerifyBody",
        Route.PROPERTY + "=POST /api/v1/ems/{ems}/discover operator",
        Route.PROPERTY + "=POST /api/v1/ems/{ems}/refresh operator",
        Route.PROPERTY + "=POST /api/v1/ems/{ems}/connections admin ConnectionBody",
        Route.PROPERTY + "=PATCH /api/v1/ems/{ems}/connections/{connection} admin ConnectionBody",
        Route.PROPERTY + "=DELETE /api/v1/ems/{ems}/connections/{connection} admin",
        Route.PROPERTY + "=PUT /api/v1/ems/{ems}/credentials admin CredentialBody",
        Route.PROPERTY + "=DELETE /api/v1/ems/{ems}/credentials/{credential} admin",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/vms viewer ?filter,state,limit,cursor",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/templates viewer ?filter,limit,cursor",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/hosts viewer",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/clusters viewer",
        Route.PROPERTY + "=POST /api/v1/ems/{ems}/vms/{vm}/power operator PowerBody",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/events viewer ?after,limit",
        Route.PROPERTY + "=GET /api/v1/ems/{ems}/events/stream viewer ?after"})
public class EmsResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/v1/ems";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int STREAM_BATCH = 1000;
    private static final long STREAM_POLL_MILLIS = 50;

    private final transient EmsStore store;
    private final transient CapabilityRouter router;
    private final transient ConnectionDiscovery discovery;
    private final transient RefreshJobs jobs;
    private final transient InventoryStore inventory;
    private final transient VmPower power;
    private final transient EventStore events;

    /** {@code POST /api/v1/ems}: a new EMS of an installed provider type. */
    record NewEms(String type, String name) {
    }

    /** {@code POST .../connections} and {@code PATCH .../connections/{id}} (absent fields: the role's defaults, or unchanged). */
    record ConnectionBody(String role, String host, Integer port, String scheme, String path, Boolean verifyTls,
                          String caCertificate, Integer priority, Boolean allowBasicOverHttp) {
    }

    /** {@code PUT .../credentials}: for the default connection of {@code role}, or {@code connection}, or the EMS. */
    record CredentialBody(String role, Long connection, String kind, String user, String secret) {
        @Override
        public String toString() {
            return "CredentialBody[" + role + ", " + connection + ", " + kind + ", " + user + "]"; // never the secret
        }
    }

    /** {@code POST .../verify}: only the connections of this role, when given. */
    record VerifyBody(String role) {
    }

    /** {@code POST .../vms/{vm}/power}: start, stop, shutdown, suspend, resume, restart or reset. */
    record PowerBody(String action) {
    }

    /** {@code PATCH /api/v1/ems/{ems}}: what changes (only the name can). */
    record EmsChange(String name) {
    }

    @Activate
    public EmsResource(@Reference EmsStore store, @Reference CapabilityRouter router, @Reference RefreshJobs jobs,
                       @Reference InventoryStore inventory, @Reference VmPower power, @Reference EventStore events,
                       @Reference AuditTrail audit, @Reference ConnectionDiscovery discovery, Map<String, Object> properties) {
        this.events = events;
        this.discovery = discovery;
        this.store = store;
        this.router = router;
        this.jobs = jobs;
        this.inventory = inventory;
        this.power = power;
        wire(properties, audit);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.isEmpty()) {
            ArrayNode list = JSON.createArrayNode();
            store.listEms().forEach(e -> list.add(summary(e)));
            json(response, HttpServletResponse.SC_OK, list);
            return;
        }
        Ems ems = store.requireEms(path.get(0));
        if (path.size() == 1) {
            json(response, HttpServletResponse.SC_OK, detail(ems));
            return;
        }
        switch (path.get(1)) {
            case "vms", "templates" -> {
                vms(ems, path.get(1).equals("templates"), request, response);
                return;
            }
            case "hosts" -> {
                ArrayNode list = JSON.createArrayNode();
                for (HostItem h : inventory.hosts(ems.id())) {
                    ObjectNode n = list.addObject();
                    n.put("ref", h.emsRef());
                    n.put("name", h.name());
                    n.put("cluster", h.clusterRef());
                    n.put("cpuCount", h.cpuCount());
                    n.put("memoryBytes", h.memoryBytes());
                    n.put("powerState", h.powerState().label());
                    n.put("rawState", h.rawState());
                }
                json(response, HttpServletResponse.SC_OK, list);
                return;
            }
            case "events" -> {
                if (path.size() == 3) {
                    stream(ems, request, response);
                } else {
                    events(ems, request, response);
                }
                return;
            }
            case "clusters" -> {
                ArrayNode list = JSON.createArrayNode();
                for (ClusterItem c : inventory.clusters(ems.id())) {
                    list.addObject().put("ref", c.emsRef()).put("name", c.name());
                }
                json(response, HttpServletResponse.SC_OK, list);
                return;
            }
            default -> {
                // capabilities
            }
        }
        ArrayNode matrix = JSON.createArrayNode();
        for (CapabilityBinding b : router.matrix(ems.id())) {
            ObjectNode row = matrix.addObject();
            row.put("capability", b.capability());
            row.put("state", b.state());
            row.put("detail", b.detail());
            row.put("service", b.service());
            row.put("role", b.role());
            row.put("connection", b.connection() == null ? null : b.connection().url());
            row.put("bundle", b.bundle());
            row.put("bundleVersion", b.bundleVersion());
        }
        json(response, HttpServletResponse.SC_OK, matrix);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.size() == 2 && path.get(1).equals("refresh")) {
            refresh(store.requireEms(path.get(0)), response);
            return;
        }
        if (path.size() == 4 && path.get(1).equals("vms") && path.get(3).equals("power")) {
            Ems ems = store.requireEms(path.get(0));
            PowerBody b = body(request, PowerBody.class);
            VmPower.Outcome done = power.perform(ems, path.get(2), PowerAction.fromLabel(JsonBody.required("action", b.action())));
            ObjectNode n = JSON.createObjectNode();
            n.put("vm", done.vm().emsRef());
            n.put("name", done.vm().name());
            n.put("action", done.action().label());
            n.put("powerState", done.result().state().label());
            n.put("rawState", done.result().rawState());
            json(response, HttpServletResponse.SC_OK, n);
            return;
        }
        if (path.size() == 2 && path.get(1).equals("verify")) {
            verify(store.requireEms(path.get(0)), request, response);
            return;
        }
        if (path.size() == 2 && path.get(1).equals("discover")) {
            discover(store.requireEms(path.get(0)), response);
            return;
        }
        if (path.size() == 2 && path.get(1).equals("connections")) {
            Ems ems = store.requireEms(path.get(0));
            ConnectionBody b = body(request, ConnectionBody.class);
            Connection c = store.addConnection(ems.id(), new ConnectionSpec(JsonBody.required("role", b.role()), JsonBody.required("host", b.host()),
                    b.port(), b.scheme(), b.path(), b.verifyTls() == null || b.verifyTls(), b.caCertificate(),
                    b.priority() != null && b.priority() == 1, false, Boolean.TRUE.equals(b.allowBasicOverHttp()), b.priority()));
            response.setHeader("Location", PATH + "/" + ems.id() + "/connections/" + c.id());
            json(response, HttpServletResponse.SC_CREATED, connection(c));
            return;
        }
        if (!path.isEmpty()) {
            throw new ApiProblem(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "POST is for " + PATH + "; an EMS is changed with PATCH");
        }
        NewEms body = body(request, NewEms.class);
        Ems ems = store.createEms(JsonBody.required("type", body.type()), JsonBody.required("name", body.name()));
        response.setHeader("Location", PATH + "/" + ems.id());
        json(response, HttpServletResponse.SC_CREATED, detail(ems));
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.size() != 2) {
            throw new ApiProblem(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "PUT is for " + PATH + "/{ems}/credentials");
        }
        Ems ems = store.requireEms(path.get(0));
        CredentialBody b = body(request, CredentialBody.class);
        if (b.role() != null && b.connection() != null) {
            throw new ApiProblem(HttpServletResponse.SC_BAD_REQUEST, "give role or connection, not both");
        }
        Connection target = b.connection() != null ? connectionOf(ems, b.connection())
                : b.role() == null ? null : Connection.forRole(store.connections(ems.id()), b.role()).orElseThrow(() ->
                        new io.junction.api.NotFoundException("EMS '" + ems.name() + "' has no " + io.junction.api.ShownText.quote(b.role()) + " connection"));
        CredentialKind kind = b.kind() == null ? CredentialKind.PASSWORD : CredentialKind.fromLabel(b.kind());
        char[] chars = JsonBody.required("secret", b.secret()).toCharArray();
        try (Secret secret = Secret.of(chars)) {
            Credential c = store.setCredential(ems.id(), target == null ? null : target.id(),
                    new CredentialSpec(kind, b.user() == null ? "" : b.user(), secret));
            json(response, HttpServletResponse.SC_OK, credential(c));
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    @Override
    protected void doPatch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.size() == 3 && path.get(1).equals("connections")) {
            Ems ems = store.requireEms(path.get(0));
            Connection c = connectionOf(ems, id(path.get(2), "connection"));
            ConnectionBody b = body(request, ConnectionBody.class);
            Connection after = store.updateConnection(c.id(), new ConnectionSpec(b.role() == null ? c.role() : b.role(),
                    b.host() == null ? c.host() : b.host(), b.port() == null ? c.port() : b.port(), b.scheme() == null ? c.scheme() : b.scheme(),
                    b.path() == null ? c.path() : b.path(), b.verifyTls() == null ? c.verifyTls() : b.verifyTls(),
                    b.caCertificate() == null ? c.caCertificate() : b.caCertificate(), c.defaultForRole(), c.discovered(),
                    b.allowBasicOverHttp() == null ? c.allowBasicOverHttp() : b.allowBasicOverHttp(), null));
            if (b.priority() != null && b.priority() != after.priority()) {
                after = store.setPriority(c.id(), b.priority());
            }
            json(response, HttpServletResponse.SC_OK, connection(after));
            return;
        }
        Ems ems = item(request);
        EmsChange body = body(request, EmsChange.class);
        Ems after = body.name() == null ? ems : store.renameEms(ems.id(), body.name());
        json(response, HttpServletResponse.SC_OK, detail(after));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        List<String> path = segments(request);
        if (path.size() == 3 && path.get(1).equals("connections")) {
            store.removeConnection(connectionOf(store.requireEms(path.get(0)), id(path.get(2), "connection")).id());
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (path.size() == 3 && path.get(1).equals("credentials")) {
            Ems ems = store.requireEms(path.get(0));
            long credentialId = id(path.get(2), "credential");
            Credential c = store.credentials(ems.id()).stream().filter(x -> x.id() == credentialId).findFirst().orElseThrow(() ->
                    new io.junction.api.NotFoundException("EMS '" + ems.name() + "' has no credential " + credentialId));
            store.removeCredential(c.id());
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        Ems ems = item(request);
        store.removeEms(ems.id());
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /**
     * {@code POST /api/v1/ems/{ems}/refresh}: {@code 202} with the job's {@code Location}; the running
     * job when one runs. {@code 503} at once when the inventory capability has no service, connection
     * or credential (the router's reason), so nothing is started that could only fail.
     */
    private void refresh(Ems ems, HttpServletResponse response) throws IOException {
        for (CapabilityBinding b : router.matrix(ems.id())) {
            if (b.capability().equals("inventory") && (b.state().equals(CapabilityBinding.NO_SERVICE)
                    || b.state().equals(CapabilityBinding.NO_CONNECTION) || b.state().equals(CapabilityBinding.NO_CREDENTIAL))) {
                throw new ApiProblem(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "cannot refresh EMS '" + ems.name() + "': inventory is "
                        + b.state() + (b.detail() == null || b.detail().isEmpty() ? "" : ": " + b.detail()));
            }
        }
        Object[] started = jobs.start(ems);
        RefreshJobs.Job job = (RefreshJobs.Job) started[0];
        ObjectNode body = job.json();
        body.put("joined", (Boolean) started[1]);
        response.setHeader("Location", JobsResource.PATH + "/" + job.id);
        json(response, HttpServletResponse.SC_ACCEPTED, body);
    }

    /**
     * {@code POST /api/v1/ems/{ems}/discover}: the connections the EMS's catalog names, added, updated
     * or removed as {@code ems:discover} does; 503 when its provider type has no discovery bound.
     */
    private void discover(Ems ems, HttpServletResponse response) throws IOException {
        ConnectionDiscovery.Result r = discovery.discover(ems.id());
        ObjectNode body = JSON.createObjectNode();
        r.added().forEach(c -> body.withArray("added").add(connection(c)));
        r.updated().forEach(c -> body.withArray("updated").add(connection(c)));
        r.removed().forEach(c -> body.withArray("removed").add(connection(c)));
        r.unchanged().forEach(c -> body.withArray("unchanged").add(connection(c)));
        for (String k : List.of("added", "updated", "removed", "unchanged")) {
            if (!body.has(k)) {
                body.putArray(k);
            }
        }
        json(response, HttpServletResponse.SC_OK, body);
    }

    /** {@code POST /api/v1/ems/{ems}/verify}: each connection checked with its own credential, as {@code ems:verify}. */
    private void verify(Ems ems, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String role = request.getContentLengthLong() > 0 || request.getContentType() != null ? body(request, VerifyBody.class).role() : null;
        List<ConnectionCheck> checks = router.verify(ems.id(), role == null ? null : role.strip().toLowerCase(java.util.Locale.ROOT));
        if (checks.isEmpty()) {
            throw new io.junction.api.InvalidInputException("EMS '" + ems.name() + "' has no " + (role == null ? "" : io.junction.api.ShownText.quote(role) + " ")
                    + "connection to check; add one with POST " + PATH + "/" + ems.id() + "/connections");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", checks.stream().allMatch(c -> c.status().equals(ConnectionCheck.OK)));
        ArrayNode results = body.putArray("checks");
        for (ConnectionCheck c : checks) {
            ObjectNode n = results.addObject();
            n.put("role", c.connection().role());
            n.put("connection", c.connection().id());
            n.put("address", c.connection().address());
            n.put("service", c.service());
            n.put("status", c.status());
            n.put("detail", c.detail());
            n.put("tookMillis", c.took().toMillis());
        }
        json(response, HttpServletResponse.SC_OK, body);
    }

    /**
     * A page of VMs (or templates) by name then reference, with the cursor of the next: the last item's
     * name and reference, so a page never repeats or skips an item as others come and go.
     */
    private void vms(Ems ems, boolean templates, HttpServletRequest request, HttpServletResponse response) throws IOException {
        int limit = limit(request);
        PowerState state = null;
        String stateText = request.getParameter("state");
        if (stateText != null) {
            state = java.util.Arrays.stream(PowerState.values()).filter(p -> p.label().equals(stateText)).findFirst().orElseThrow(() ->
                    new ApiProblem(HttpServletResponse.SC_BAD_REQUEST, "query parameter 'state' must be one of "
                            + java.util.Arrays.stream(PowerState.values()).map(PowerState::label).collect(java.util.stream.Collectors.joining(", "))));
        }
        VmQuery query = new VmQuery(templates, request.getParameter("filter"), state, limit + 1);
        String cursor = request.getParameter("cursor");
        if (cursor != null) {
            String[] after = Cursor.decode(cursor);
            query = query.after(after[0], after[1]);
        }
        List<VmItem> items = inventory.vms(ems.id(), query);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode list = page.putArray("items");
        items.stream().limit(limit).forEach(v -> list.add(vm(v)));
        if (items.size() > limit) {
            VmItem last = items.get(limit - 1);
            String next = Cursor.encode(last.name(), last.emsRef());
            page.put("nextCursor", next);
            StringBuilder link = new StringBuilder(request.getRequestURI()).append("?limit=").append(limit);
            for (String p : new String[] {"filter", "state"}) {
                if (request.getParameter(p) != null) {
                    link.append('&').append(p).append('=').append(java.net.URLEncoder.encode(request.getParameter(p), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            page.put("next", link.append("&cursor=").append(next).toString());
        } else {
            page.putNull("nextCursor");
            page.putNull("next");
        }
        json(response, HttpServletResponse.SC_OK, page);
    }

    private static ObjectNode vm(VmItem v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ref", v.emsRef());
        n.put("name", v.name());
        n.put("template", v.template());
        n.put("host", v.hostRef());
        n.put("cpuCount", v.cpuCount());
        n.put("memoryMb", v.memoryMb());
        n.put("guestOs", v.guestOs());
        ArrayNode ips = n.putArray("ipAddresses");
        v.ipAddresses().forEach(ips::add);
        n.put("powerState", v.powerState().label());
        n.put("rawState", v.rawState());
        return n;
    }

    /** {@code GET .../events?after&limit}: stored events oldest first, after an event id; {@code next} continues. */
    private void events(Ems ems, HttpServletRequest request, HttpServletResponse response) throws IOException {
        long after = afterId(request.getParameter("after"));
        int limit = limit(request);
        List<StoredEvent> stored = events.after(ems.id(), after, limit);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        stored.forEach(e -> items.add(event(e)));
        long last = stored.isEmpty() ? after : stored.get(stored.size() - 1).id();
        page.put("next", request.getRequestURI() + "?limit=" + limit + "&after=" + last);
        json(response, HttpServletResponse.SC_OK, page);
    }

    /**
     * {@code GET .../events/stream}: Server-Sent Events, each with its stored id, from {@code Last-Event-ID}
     * (or {@code ?after}) on: a client that reconnects gets every event once, in order. Events are read
     * from the store as they are stored; a comment line every 15 s keeps proxies from closing the stream.
     */
    private void stream(Ems ems, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String lastEventId = request.getHeader("Last-Event-ID");
        long after = afterId(lastEventId != null && !lastEventId.isBlank() ? lastEventId.strip() : request.getParameter("after"));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        var out = response.getOutputStream();
        out.write(": events of EMS ".concat(String.valueOf(ems.id())).concat("\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        long quietSince = System.nanoTime();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<StoredEvent> batch = events.after(ems.id(), after, STREAM_BATCH);
                if (!batch.isEmpty()) {
                    StringBuilder text = new StringBuilder();
                    for (StoredEvent e : batch) {
                        text.append("id: ").append(e.id()).append('\n')
                                .append("event: ").append(Problems.oneLine(e.event().type())).append('\n')
                                .append("data: ").append(JSON.writeValueAsString(event(e))).append("\n\n");
                    }
                    out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    after = batch.get(batch.size() - 1).id();
                    quietSince = System.nanoTime();
                    if (batch.size() == STREAM_BATCH) {
                        continue;
                    }
                } else if (System.nanoTime() - quietSince > java.util.concurrent.TimeUnit.SECONDS.toNanos(15)) {
                    out.write(": keep-alive\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    quietSince = System.nanoTime();
                }
                Thread.sleep(STREAM_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the client went away: it resumes with Last-Event-ID
        }
    }

    /** The {@code limit} query parameter: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
    private static int limit(HttpServletRequest request) {
        String text = request.getParameter("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
            throw new ApiProblem(HttpServletResponse.SC_BAD_REQUEST, "query parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(text);
    }

    private static long afterId(String text) {
        if (text == null) {
            return 0;
        }
        if (!text.matches("[0-9]{1,18}")) {
            throw new ApiProblem(HttpServletResponse.SC_BAD_REQUEST, "'after' (or Last-Event-ID) must be an event id, a whole number");
        }
        return Long.parseLong(text);
    }

    private static ObjectNode event(StoredEvent s) {
        EmsEvent e = s.event();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.id());
        n.put("source", e.source());
        n.put("providerEventId", e.providerEventId());
        n.put("type", e.type());
        n.put("severity", e.severity());
        n.put("occurredAt", e.occurredAt() == null ? null : e.occurredAt().toString());
        n.put("subject", e.subjectRef());
        n.put("message", e.message());
        ObjectNode attributes = n.putObject("attributes");
        if (e.attributes() != null) {
            new java.util.TreeMap<>(e.attributes()).forEach(attributes::put);
        }
        n.put("receivedAt", s.receivedAt().toString());
        return n;
    }

    private Connection connectionOf(Ems ems, long connectionId) {
        return store.findConnection(connectionId).filter(c -> c.emsId() == ems.id()).orElseThrow(() ->
                new io.junction.api.NotFoundException("EMS '" + ems.name() + "' has no connection " + connectionId));
    }

    private static long id(String text, String what) {
        if (!text.matches("[0-9]{1,18}")) {
            throw new io.junction.api.NotFoundException("no " + what + " " + io.junction.api.ShownText.quote(text) + ": " + what + "s are named by their id");
        }
        return Long.parseLong(text);
    }

    private Ems item(HttpServletRequest request) {
        List<String> path = segments(request);
        if (path.size() != 1) {
            throw new ApiProblem(HttpServletResponse.SC_METHOD_NOT_ALLOWED, request.getMethod() + " is for " + PATH + "/{id or name}");
        }
        return store.requireEms(path.get(0));
    }

    private static ObjectNode summary(Ems ems) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", ems.id());
        node.put("name", ems.name());
        node.put("type", ems.type());
        node.put("created", ems.created().toString());
        return node;
    }

    private ObjectNode detail(Ems ems) {
        ObjectNode node = summary(ems);
        ArrayNode connections = node.putArray("connections");
        store.connections(ems.id()).forEach(c -> connections.add(connection(c)));
        ArrayNode credentials = node.putArray("credentials");
        store.credentials(ems.id()).forEach(c -> credentials.add(credential(c)));
        return node;
    }

    private static ObjectNode connection(Connection c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.id());
        n.put("role", c.role());
        n.put("host", c.host());
        n.put("port", c.port());
        n.put("scheme", c.scheme());
        n.put("path", c.path());
        n.put("url", c.url());
        n.put("verifyTls", c.verifyTls());
        n.put("priority", c.priority());
        n.put("discovered", c.discovered());
        n.put("allowBasicOverHttp", c.allowBasicOverHttp());
        return n;
    }

    /** Never a secret: a credential is shown by its kind, user and last check only. */
    private static ObjectNode credential(Credential c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", c.id());
        if (c.connectionId() != null) {
            n.put("connection", c.connectionId());
        }
        n.put("kind", c.kind().label());
        n.put("user", c.user());
        n.put("status", c.status());
        n.put("checkedAt", c.checkedAt() == null ? null : c.checkedAt().toString());
        n.put("updated", c.updated().toString());
        return n;
    }
}
