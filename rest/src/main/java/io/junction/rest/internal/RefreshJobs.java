package io.junction.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.CapabilityUnavailableException;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes started over the API, as jobs a client follows ({@code GET /api/v1/jobs/{id}}): progress
 * while they run, the counts or the reason at the end. A second start while one runs for the same
 * EMS returns that job (the pipeline itself joins, too). Runs on a small bounded pool; finished jobs
 * are kept, the oldest forgotten past {@link #KEEP}.
 */
@Component(service = RefreshJobs.class)
public class RefreshJobs {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshJobs.class);
    static final int KEEP = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RefreshPipeline pipeline;
    private final ExecutorService pool;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    /** One refresh as a client sees it. */
    static final class Job implements RefreshPipeline.Progress {
        final String id;
        final long emsId;
        final String emsName;
        final Instant started = Instant.now();
        volatile String state = "running";
        volatile long seen;
        volatile long written;
        volatile RefreshResult result;
        volatile String error;
        volatile Instant finished;

        Job(String id, Ems ems) {
            this.id = id;
            this.emsId = ems.id();
            this.emsName = ems.name();
        }

        @Override
        public void progress(long seen, long written) {
            this.seen = seen;
            this.written = written;
        }

        boolean running() {
            return finished == null;
        }

        ObjectNode json() {
            ObjectNode node = ApiServlet.JSON.createObjectNode();
            node.put("id", id);
            node.put("kind", "refresh");
            node.put("ems", emsId);
            node.put("emsName", emsName);
            node.put("state", state);
            node.put("started", started.toString());
            node.put("finished", finished == null ? null : finished.toString());
            ObjectNode progress = node.putObject("progress");
            progress.put("seen", seen);
            progress.put("written", written);
            RefreshResult r = result;
            if (r != null) {
                RefreshCounts c = r.counts();
                ObjectNode counts = node.putObject("counts");
                counts.put("created", c.created());
                counts.put("updated", c.updated());
                counts.put("deleted", c.deleted());
                counts.put("unchanged", c.unchanged());
                counts.put("skipped", c.skipped());
                counts.put("seen", c.seen());
                node.put("tookMillis", r.took().toMillis());
            }
            if (error != null) {
                node.put("error", error);
            }
            return node;
        }
    }

    @Activate
    public RefreshJobs(@Reference RefreshPipeline pipeline) {
        this.pipeline = pipeline;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "junction-rest-refresh-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
    }

    /** The running job of the EMS, or a new one started; {@code [job, joined]}. */
    synchronized Object[] start(Ems ems) {
        for (Job j : jobs.values()) {
            if (j.emsId == ems.id() && j.running()) {
                return new Object[] {j, Boolean.TRUE};
            }
        }
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        Job job = new Job(HexFormat.of().formatHex(b), ems);
        jobs.put(job.id, job);
        forgetOld();
        pool.execute(() -> run(job));
        return new Object[] {job, Boolean.FALSE};
    }

    synchronized Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    private void run(Job job) {
        try {
            RefreshResult result = pipeline.refresh(job.emsId, job);
            // the pipeline reports progress in steps; at the end, the whole
            job.seen = result.counts().seen();
            job.result = result;
            job.state = "succeeded";
        } catch (CapabilityUnavailableException e) {
            job.error = Problems.oneLine(e.getMessage());
            job.state = "failed";
        } catch (JunctionException e) {
            job.error = Problems.oneLine(e.getMessage());
            job.state = "failed";
        } catch (RuntimeException e) {
            LOG.error("refresh of EMS {} failed", job.emsId, e);
            job.error = "internal error; see data/log/junction.log";
            job.state = "failed";
        } finally {
            job.finished = Instant.now();
        }
    }

    private void forgetOld() {
        int excess = jobs.size() - KEEP;
        for (Iterator<Job> it = jobs.values().iterator(); excess > 0 && it.hasNext(); ) {
            if (!it.next().running()) {
                it.remove();
                excess--;
            }
        }
    }
}
