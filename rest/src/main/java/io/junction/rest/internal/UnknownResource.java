package io.junction.rest.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/**
 * Whatever under {@code /api/} no resource claims: a problem detail, as from every route, rather than
 * the server's HTML error page. (The whiteboard gives each request to the longest matching pattern.)
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/*",
        "osgi.http.whiteboard.context.select=" + ApiContext.SELECT})
public class UnknownResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Problems.send(response, HttpServletResponse.SC_NOT_FOUND, "no resource at " + request.getRequestURI()
                + "; the API is under /api/v1");
    }
}
