package io.junction.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.junction.api.CapabilityUnavailableException;
import io.junction.api.ConflictException;
import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.NotFoundException;
import io.junction.api.security.AuditTrail;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resource of the REST API: a DS component whose service properties say which servlet patterns it
 * serves and, one {@link Route} each, the routes it answers with the role each needs
 * ({@code junction.http.route=GET /api/v1/ems/{ems} viewer}). A request no route matches is a 404, a
 * method no route of that path declares a 405; the role sits next to the route. Errors the platform
 * reports become problem details, and every request that may change something goes to the audit trail.
 */
abstract class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Request attribute: the body as read by {@link JsonBody}, for the audit line. */
    static final String BODY = "io.junction.body";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Body fields never written to the audit trail. */
    private static final Set<String> SECRET_FIELDS = Set.of("secret", "password", "token", "privateKey", "passphrase");

    private transient List<Route> routes = List.of();
    private transient AuditTrail audit;

    /** Reads the routes from the component's properties. */
    void wire(Map<String, Object> properties, AuditTrail audit) {
        this.audit = audit;
        this.routes = List.copyOf(Route.of(properties));
    }

    /** The routes this resource declared. */
    List<Route> routes() {
        return routes;
    }

    /** The record a route's body is read into, by the name its route gives. */
    Class<?> bodyType(String name) {
        for (Class<?> c : getClass().getDeclaredClasses()) {
            if (c.getSimpleName().equals(name) && c.isRecord()) {
                return c;
            }
        }
        throw new IllegalStateException(getClass().getSimpleName() + " declares no body record " + name);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        List<String> path = Route.segments(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
        List<Route> here = routes.stream().filter(r -> r.matches(path)).toList();
        if (here.isEmpty()) {
            Problems.send(response, HttpServletResponse.SC_NOT_FOUND, "no resource at " + request.getRequestURI());
            return;
        }
        String wanted = method.equals("HEAD") ? "GET" : method;
        Route route = here.stream().filter(r -> r.method().equals(wanted)).findFirst().orElse(null);
        if (route == null) {
            String allowed = here.stream().map(Route::method).sorted().distinct().collect(java.util.stream.Collectors.joining(", "));
            response.setHeader("Allow", allowed);
            Problems.send(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, method + " is not allowed on " + request.getRequestURI()
                    + "; allowed: " + allowed);
            return;
        }
        Role needed = route.role() == null ? Role.VIEWER : route.role();
        for (String name : java.util.Collections.list(request.getParameterNames())) {
            if (!route.query().contains(name)) {
                Problems.send(response, HttpServletResponse.SC_BAD_REQUEST, "unknown query parameter " + "'" + Problems.oneLine(name) + "'"
                        + (route.query().isEmpty() ? "; this route takes none" : "; known: " + String.join(", ", route.query())));
                return;
            }
        }
        Caller caller = (Caller) request.getAttribute(ApiContext.CALLER);
        boolean mutating = !(method.equals("GET") || method.equals("HEAD"));
        if (caller == null || !caller.role().includes(needed)) {
            Problems.send(response, HttpServletResponse.SC_FORBIDDEN, "denied: " + method + " " + request.getRequestURI()
                    + " needs role " + needed.id() + (caller == null ? "" : "; " + caller.user() + " has role " + caller.role().id()));
            if (mutating && caller != null) {
                record(caller, request, AuditTrail.DENIED);
            }
            return;
        }
        try {
            super.service(request, response);
        } catch (ApiProblem e) {
            Problems.send(response, e.status(), e.getMessage());
        } catch (NotFoundException e) {
            Problems.send(response, HttpServletResponse.SC_NOT_FOUND, e.getMessage());
        } catch (ConflictException e) {
            Problems.send(response, HttpServletResponse.SC_CONFLICT, e.getMessage());
        } catch (InvalidInputException e) {
            Problems.send(response, 422, e.getMessage());
        } catch (CapabilityUnavailableException e) {
            Problems.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.getMessage());
        } catch (JunctionException e) {
            LOG.warn("{} {} failed: {}", method, request.getRequestURI(), e.getMessage(), e);
            Problems.send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, request.getRequestURI(), e);
            Problems.send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error; see data/log/junction.log");
        } finally {
            if (mutating) {
                record(caller, request, response.getStatus() < 400 ? AuditTrail.OK : AuditTrail.ERROR);
            }
        }
    }

    /** The path below the servlet's pattern in segments: {@code /sc1/capabilities} → [sc1, capabilities]. */
    static List<String> segments(HttpServletRequest request) {
        String info = request.getPathInfo();
        List<String> parts = new ArrayList<>();
        if (info != null) {
            for (String p : info.split("/")) {
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
        }
        return parts;
    }

    private void record(Caller caller, HttpServletRequest request, String outcome) {
        if (audit == null) {
            return;
        }
        StringBuilder action = new StringBuilder(request.getMethod()).append(' ').append(request.getRequestURI());
        Object body = request.getAttribute(BODY);
        if (body instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    if (v != null) {
                        action.append(' ').append(c.getName()).append('=')
                                .append(SECRET_FIELDS.contains(c.getName()) ? "***" : Problems.oneLine(String.valueOf(v)));
                    }
                } catch (ReflectiveOperationException e) {
                    action.append(' ').append(c.getName()).append("=?");
                }
            }
        }
        audit.record(AuditTrail.Entry.of(caller, audit.elideSecrets(action.toString()), outcome));
    }

    /** The body, read strictly (see {@link JsonBody}), kept for the audit line. */
    static <T> T body(HttpServletRequest request, Class<T> type) {
        T value = JsonBody.read(request, type);
        request.setAttribute(BODY, value);
        return value;
    }

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
