package io.junction.shell.internal;

import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.ShownText;
import io.junction.api.store.EmsStore;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.ConnectionDiscovery;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.service.ConnectionHealth;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code ems:capabilities} and {@code ems:verify}: what answers each capability of an EMS, and does it work. */
@Component(service = CapabilityCommands.class, property = {
        "osgi.command.scope=ems",
        "osgi.command.function=capabilities", "osgi.command.function=verify", "osgi.command.function=discover",
        // the role each function needs from a remote caller (io.junction.api.security.Role)
        "junction.command.role=capabilities=viewer", "junction.command.role=verify=operator",
        "junction.command.role=discover=operator"})
public class CapabilityCommands {

    @Reference
    private EmsStore store;

    @Reference
    private CapabilityRouter router;

    @Reference
    private ConnectionDiscovery discovery;

    @Descriptor("stores the connections the EMS's catalog names (e.g. OpenStack compute from the identity service)")
    public String discover(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:discover", () -> {
            Ems e = store.requireEms(ems);
            ConnectionDiscovery.Result r = discovery.discover(e.id());
            Table table = new Table("CHANGE", "ID", "ROLE", "URL");
            r.added().forEach(c -> table.row("added", c.id(), c.role(), c.url()));
            r.updated().forEach(c -> table.row("updated", c.id(), c.role(), c.url()));
            r.removed().forEach(c -> table.row("removed", c.id(), c.role(), c.url()));
            r.unchanged().forEach(c -> table.row("unchanged", c.id(), c.role(), c.url()));
            return table.isEmpty() ? "The catalog of EMS '" + e.name() + "' names no connection to discover\n"
                    : "Discovered for EMS '" + e.name() + "' (a discovered connection uses the credential of the one that"
                    + " discovered it unless it has its own):\n" + table;
        });
    }

    @Descriptor("shows, per capability of an EMS, the service, connection and bundle that answer it, and its state")
    public String capabilities(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:capabilities", () -> {
            Ems e = store.requireEms(ems);
            List<CapabilityBinding> rows = router.matrix(e.id());
            Table table = new Table("CAPABILITY", "SERVICE", "CONNECTION", "BUNDLE", "STATE");
            for (CapabilityBinding b : rows) {
                table.row(b.capability(), b.service() == null ? "-" : b.service(),
                        b.connection() == null ? (b.role() == null ? "-" : b.role() + " (none)")
                                : b.connection().role() + " " + b.connection().address(),
                        b.bundle() == null ? "-" : b.bundle() + " " + b.bundleVersion(),
                        b.state().equals(CapabilityBinding.FAILING) ? "failing: " + b.detail() : b.state());
            }
            StringBuilder out = new StringBuilder(table.toString());
            rows.stream().filter(b -> !b.state().equals(CapabilityBinding.BOUND) && !b.state().equals(CapabilityBinding.FAILING))
                    .forEach(b -> out.append("  ").append(b.capability()).append(": ").append(b.detail()).append('\n'));
            // With standbys, or a server down: each connection of the role in the order calls try them.
            rows.stream().filter(b -> b.connections().size() > 1 || b.connections().stream().anyMatch(h -> h.state().equals(ConnectionHealth.DOWN)))
                    .forEach(b -> out.append("  ").append(b.capability()).append(": ").append(b.connections().stream()
                            .map(CapabilityCommands::health).collect(Collectors.joining("; "))).append('\n'));
            return out.toString();
        });
    }

    private static String health(ConnectionHealth h) {
        return h.state() + " " + h.connection().address() + " (connection " + h.connection().id() + ")"
                + (h.state().equals(ConnectionHealth.DOWN) ? " since " + EmsCommands.TIME.format(h.since()) + ": " + h.reason() : "");
    }

    @Descriptor("checks every connection of an EMS with its own credential; fails when a check is not ok")
    public String verify(@Descriptor("EMS id or name") String ems) {
        return check(ems, null);
    }

    @Descriptor("checks the connections of one role of an EMS with their own credentials; fails when a check is not ok")
    public String verify(@Descriptor("EMS id or name") String ems, @Descriptor("connection role") String role) {
        return check(ems, role);
    }

    private String check(String ems, String role) {
        return Commands.run("ems:verify", () -> {
            Ems e = store.requireEms(ems);
            String r = role == null ? null : role.strip().toLowerCase(Locale.ROOT);
            List<ConnectionCheck> checks = router.verify(e.id(), r);
            if (checks.isEmpty()) {
                throw new InvalidInputException("EMS '" + e.name() + "' has no "
                        + (r == null ? "" : ShownText.quote(r) + " ") + "connection to check; add one with ems:connect");
            }
            Table table = new Table("ROLE", "CONNECTION", "SERVICE", "RESULT", "TIME");
            for (ConnectionCheck c : checks) {
                String result = c.status().equals(ConnectionCheck.OK) ? "ok"
                        : c.status().equals(ConnectionCheck.ERROR) ? "error: " + c.detail()
                        : c.detail().isEmpty() ? c.status() : c.status() + " (" + c.detail() + ")";
                table.row(c.connection().role(), c.connection().address(), c.service() == null ? "-" : c.service(),
                        result, c.took().toMillis() + " ms");
            }
            StringBuilder report = new StringBuilder(table.toString());
            checks.stream().map(c -> TransportWarnings.basicOverHttp(c.connection())).filter(w -> w != null).distinct()
                    .forEach(w -> report.append(w).append('\n'));
            long failed = checks.stream().filter(c -> !c.status().equals(ConnectionCheck.OK)).count();
            if (failed == 0) {
                return report.toString();
            }
            // The table still shows what each check found; the command fails, so that a script
            // (bin/junction -c exits 1) can trust ems:verify as it trusts ems:refresh.
            PrintStream out = System.out;
            out.print(report);
            out.flush();
            throw new JunctionException(failed + " of " + checks.size() + " connection checks of EMS '" + e.name() + "' failed");
        });
    }
}
