package io.junction.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.NotFoundException;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.RoleSpec;
import io.junction.api.ShownText;
import io.junction.api.security.AuditTrail;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/v1/provider-types[/<id>]}: the installed provider types with their connection roles (as {@code ems:types}). */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/v1/provider-types",
        "osgi.http.whiteboard.servlet.pattern=/api/v1/provider-types/*",
        "osgi.http.whiteboard.context.select=" + ApiContext.SELECT,
        Route.PROPERTY + "=GET /api/v1/provider-types viewer",
        Route.PROPERTY + "=GET /api/v1/provider-types/{type} viewer"})
public class ProviderTypesResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient ProviderTypes types;

    @Activate
    public ProviderTypesResource(@Reference ProviderTypes types, @Reference AuditTrail audit, Map<String, Object> properties) {
        this.types = types;
        wire(properties, audit);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = segments(request).isEmpty() ? "" : segments(request).get(0);
        if (id.isEmpty()) {
            ArrayNode list = JSON.createArrayNode();
            types.all().forEach(t -> list.add(describe(t)));
            json(response, HttpServletResponse.SC_OK, list);
            return;
        }
        ProviderType type = types.find(id).orElseThrow(() -> new NotFoundException("no provider type " + ShownText.quote(id)
                + " is installed (see GET /api/v1/provider-types)"));
        json(response, HttpServletResponse.SC_OK, describe(type));
    }

    static ObjectNode describe(ProviderType type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", type.id());
        node.put("displayName", type.displayName());
        ArrayNode roles = node.putArray("roles");
        for (RoleSpec r : type.roles()) {
            ObjectNode role = roles.addObject();
            role.put("role", r.role());
            role.put("required", r.required());
            ArrayNode caps = role.putArray("capabilities");
            r.capabilities().stream().sorted().forEach(caps::add);
            role.put("defaultPort", r.defaultPort());
            role.put("defaultScheme", r.defaultScheme());
            if (r.discoveredBy() != null) {
                role.put("discoveredBy", r.discoveredBy());
            }
        }
        return node;
    }
}
