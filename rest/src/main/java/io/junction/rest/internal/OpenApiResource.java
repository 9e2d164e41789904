package io.junction.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.security.AuditTrail;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3 description of the API, made at each request from the
 * routes the registered resources declare (the declarations that also route the requests), with the
 * schema of each body read from the record it is parsed into. A route cannot exist undescribed.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/v1/openapi.json",
        "osgi.http.whiteboard.context.select=" + ApiContext.SELECT,
        Route.PROPERTY + "=GET /api/v1/openapi.json viewer"})
public class OpenApiResource extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Reference(service = Servlet.class, target = "(" + Route.PROPERTY + "=*)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, Servlet>> resources;

    private final transient Map<String, Object> own;

    @Activate
    public OpenApiResource(@Reference AuditTrail audit, Map<String, Object> properties) {
        wire(properties, audit);
        this.own = Map.copyOf(properties);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Map.Entry<Map<String, Object>, Servlet>> all = new ArrayList<>(resources == null ? List.of() : resources);
        // Declarative Services does not hand a component its own service: this route is added here.
        if (all.stream().noneMatch(e -> e.getValue() == this)) {
            all.add(Map.entry(own, this));
        }
        json(response, HttpServletResponse.SC_OK, document(all));
    }

    static ObjectNode document(List<Map.Entry<Map<String, Object>, Servlet>> resources) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Junction REST API");
        info.put("version", "1");
        info.put("description", "The EMSs Junction manages, with the console's users and roles. Errors are RFC 9457 problem details.");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("basic").put("type", "http").put("scheme", "basic");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer").put("description", "an API token from user:token");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode problem = schemas.putObject("Problem");
        problem.put("type", "object");
        ObjectNode pp = problem.putObject("properties");
        for (String f : List.of("type", "title", "detail")) {
            pp.putObject(f).put("type", "string");
        }
        pp.putObject("status").put("type", "integer");
        doc.putArray("security").addObject().putArray("basic");
        ((ArrayNode) doc.get("security")).addObject().putArray("bearer");

        List<Object[]> all = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, Servlet> r : resources) {
            for (Route route : Route.of(r.getKey())) {
                all.add(new Object[] {route, r.getValue()});
            }
        }
        all.sort(Comparator.comparing((Object[] o) -> ((Route) o[0]).path()).thenComparing(o -> ((Route) o[0]).method()));
        Map<String, ObjectNode> paths = new TreeMap<>();
        for (Object[] o : all) {
            Route route = (Route) o[0];
            ObjectNode path = paths.computeIfAbsent(route.path(), p -> JSON.createObjectNode());
            ObjectNode op = path.putObject(route.method().toLowerCase(Locale.ROOT));
            op.put("x-junction-role", route.role() == null ? Route.PUBLIC : route.role().id());
            op.put("summary", route.method() + " " + route.path() + (route.role() == null ? " (no login)" : " (role " + route.role().id() + ")"));
            if (route.role() == null) {
                op.putArray("security");
            }
            if (!route.parameters().isEmpty() || !route.query().isEmpty()) {
                ArrayNode params = op.putArray("parameters");
                for (String name : route.query()) {
                    ObjectNode p = params.addObject();
                    p.put("name", name);
                    p.put("in", "query");
                    p.put("required", false);
                    p.putObject("schema").put("type", name.equals("limit") ? "integer" : "string");
                    p.put("description", switch (name) {
                        case "limit" -> "at most this many (1 to " + EmsResource.MAX_LIMIT + ", default " + EmsResource.DEFAULT_LIMIT + ")";
                        case "cursor" -> "where the page starts: the nextCursor of the previous page (opaque)";
                        case "filter" -> "part of the name or reference, case-insensitive";
                        case "state" -> "only this power state: on, off, suspended, unknown";
                        default -> name;
                    });
                }
                for (String name : route.parameters()) {
                    ObjectNode p = params.addObject();
                    p.put("name", name);
                    p.put("in", "path");
                    p.put("required", true);
                    p.putObject("schema").put("type", "string");
                    p.put("description", name.equals("ems") ? "the EMS's id or name" : "the " + name + "'s id");
                }
            }
            if (route.body() != null && o[1] instanceof ApiServlet servlet) {
                Class<?> type = servlet.bodyType(route.body());
                schemas.set(route.body(), schema(type));
                ObjectNode body = op.putObject("requestBody");
                body.put("required", true);
                body.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + route.body());
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject("2XX").put("description", "done: 200 with the resource as JSON, 201 created or 202 accepted "
                    + "with its Location, 204 with no content");
            ObjectNode error = responses.putObject("default");
            error.put("description", "a problem: 400 bad body, 401, 403 role, 404, 405, 409, 413, 415, 422, 503");
            error.putObject("content").putObject("application/problem+json").putObject("schema").put("$ref", "#/components/schemas/Problem");
        }
        ObjectNode p = doc.putObject("paths");
        paths.forEach(p::set);
        return doc;
    }

    private static ObjectNode schema(Class<?> record) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        ObjectNode props = schema.putObject("properties");
        for (RecordComponent c : record.getRecordComponents()) {
            ObjectNode prop = props.putObject(c.getName());
            Class<?> t = c.getType();
            prop.put("type", t == String.class ? "string" : t == Boolean.class || t == boolean.class ? "boolean"
                    : Number.class.isAssignableFrom(t) || t.isPrimitive() ? "integer" : "object");
            if (c.getName().equals("secret")) {
                prop.put("writeOnly", true);
                prop.put("format", "password");
            }
        }
        return schema;
    }
}
