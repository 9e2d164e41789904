package io.junction.synthetic.internal;

import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inventory a synthetic EMS reports, read from its connection's path, e.g.
 * {@code /vms=100000/hosts=2000/clusters=50/change=0.01/add=0.005/remove=0.005/events=200/pace=5000}.
 * Missing keys take the defaults below.
 *
 * @param vms       VMs in the first snapshot
 * @param templates templates
 * @param hosts     hosts
 * @param clusters  clusters
 * @param change    fraction of VMs that change from one snapshot to the next
 * @param add       fraction of VMs added in later snapshots
 * @param remove    fraction of VMs gone in later snapshots
 * @param events    events per second a subscription delivers (0: none)
 * @param failAt    if above 0, collecting fails after this many VMs (a provider failing mid-stream)
 * @param pace      if above 0, VMs reported per second at most (a provider slowed by its server)
 */
record SyntheticShape(int vms, int templates, int hosts, int clusters, double change, double add, double remove,
                      int events, int failAt, int pace) {

    static SyntheticShape parse(String path) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : (path == null ? "" : path).split("/")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("synthetic path part " + ShownText.quote(part) + " is not key=value");
            }
            values.put(part.substring(0, eq), part.substring(eq + 1));
        }
        SyntheticShape shape = new SyntheticShape(integer(values, "vms", 28), integer(values, "templates", 4),
                integer(values, "hosts", 3), integer(values, "clusters", 1), fraction(values, "change", 0),
                fraction(values, "add", 0), fraction(values, "remove", 0), integer(values, "events", 0), integer(values, "failAt", 0),
                integer(values, "pace", 0));
        values.keySet().removeAll(java.util.Set.of("vms", "templates", "hosts", "clusters", "change", "add", "remove", "events", "failAt", "pace"));
        if (!values.isEmpty()) {
            throw new InvalidInputException("unknown synthetic path keys " + values.keySet());
        }
        return shape;
    }

    private static int integer(Map<String, String> values, String key, int otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("synthetic " + key + " must be a whole number ≥ 0, got " + ShownText.quote(v));
        }
    }

    private static double fraction(Map<String, String> values, String key, double otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            double d = Double.parseDouble(v);
            if (d < 0 || d > 1) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("synthetic " + key + " must be a fraction from 0 to 1, got " + ShownText.quote(v));
        }
    }
}
