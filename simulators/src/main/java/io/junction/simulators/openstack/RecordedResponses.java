package io.junction.simulators.openstack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recorded API answers: for a GET to Nova or Glance, the file
 * {@code <METHOD>_<path without the leading '/', '/' as '_'>[__<query, parameters sorted by name, k=v joined by '&'>].json}
 * in the folder is served as the 200 body when it exists, e.g. {@code GET_v2.1_servers_detail.json},
 * {@code GET_v2.1_servers_detail__limit=2&marker=9f3c….json}, {@code GET_v2_images.json}. Characters
 * other than letters, digits, {@code . _ - = &} in names and values become {@code _}. In the body,
 * {@code {{nova}}}, {@code {{glance}}} and {@code {{keystone}}} are replaced by this simulator's
 * service URLs, so recorded pagination links can point back at it.
 */
final class RecordedResponses {
    private final Path folder;
    private final OpenStackSimulator sim;

    RecordedResponses(Path folder, OpenStackSimulator sim) {
        this.folder = folder;
        this.sim = sim;
    }

    /** The file name a request is looked up under. */
    static String fileName(String method, String path, String rawQuery) {
        StringBuilder name = new StringBuilder(method).append('_').append(safe(path.replaceAll("^/+", "").replaceAll("/+$", "").replace('/', '_')));
        Map<String, String> sorted = new TreeMap<>(Http.query(rawQuery));
        if (!sorted.isEmpty()) {
            name.append("__");
            String sep = "";
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                name.append(sep).append(safe(e.getKey())).append('=').append(safe(e.getValue()));
                sep = "&";
            }
        }
        return name.append(".json").toString();
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._\\-]", "_");
    }

    /** Answers from the recording if there is one; false when the generated cloud must answer. */
    boolean serve(HttpExchange exchange, String service) throws IOException {
        if (folder == null) {
            return false;
        }
        Path file = folder.resolve(fileName(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery()));
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String body = Files.readString(file, StandardCharsets.UTF_8)
                .replace("{{nova}}", sim.novaUrl())
                .replace("{{glance}}", sim.glanceUrl())
                .replace("{{keystone}}", sim.keystoneUrl());
        Http.send(exchange, 200, body.getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
