package io.junction.rest.internal;

import io.junction.api.NotFoundException;
import io.junction.api.ShownText;
import io.junction.api.security.AuditTrail;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /api/v1/jobs/{id}}: a refresh started over the API, with its progress and, once done, its counts or reason. */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/v1/jobs/*",
        "osgi.http.whiteboard.context.select=" + ApiContext.SELECT,
        Route.PROPERTY + "=GET /api/v1/jobs/{job} viewer"})
public class JobsResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/v1/jobs";
    private final transient RefreshJobs jobs;

    @Activate
    public JobsResource(@Reference RefreshJobs jobs, @Reference AuditTrail audit, Map<String, Object> properties) {
        this.jobs = jobs;
        wire(properties, audit);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request);
        if (path.size() != 1) {
            throw new NotFoundException("a job is at " + PATH + "/{id}, as the Location of the request that started it");
        }
        RefreshJobs.Job job = jobs.find(path.get(0)).orElseThrow(() -> new NotFoundException("no job " + ShownText.quote(path.get(0))
                + " (jobs are kept in memory until restart, the last " + RefreshJobs.KEEP + ")"));
        json(response, HttpServletResponse.SC_OK, job.json());
    }
}
