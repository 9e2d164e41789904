package io.junction.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.ProviderTypes;
import io.junction.api.security.AccessPolicy;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.store.EmsStore;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database and the services
 * the API needs are up), without authentication, for load balancers and service managers. They say
 * only up or down, per part: nothing a stranger could use.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/live",
        "osgi.http.whiteboard.servlet.pattern=/ready",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=" + HealthServlet.CONTEXT + ")",
        Route.PROPERTY + "=GET /health/live public",
        Route.PROPERTY + "=GET /health/ready public"})
public class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CONTEXT = "junction.health";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EmsStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CapabilityRouter router;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ProviderTypes types;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AccessPolicy policy;

    /** The unauthenticated context under /health: its own, so that the API's context never waives a login. */
    @Component(service = ServletContextHelper.class, property = {
            "osgi.http.whiteboard.context.name=" + CONTEXT,
            "osgi.http.whiteboard.context.path=/health"})
    public static class Context extends ServletContextHelper {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ObjectNode body = ApiServlet.JSON.createObjectNode();
        if (request.getServletPath().equals("/live")) {
            body.put("status", "up");
            ApiServlet.json(response, HttpServletResponse.SC_OK, body);
            return;
        }
        Map<String, Boolean> parts = new LinkedHashMap<>();
        parts.put("database", store != null);
        parts.put("router", router != null);
        parts.put("providerTypes", types != null);
        parts.put("accessPolicy", policy != null);
        boolean up = parts.values().stream().allMatch(b -> b);
        body.put("status", up ? "up" : "down");
        ObjectNode checks = body.putObject("checks");
        parts.forEach((name, ok) -> checks.put(name, ok ? "up" : "down"));
        ApiServlet.json(response, up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE, body);
    }
}
