package io.junction.shell.internal;

import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.NotFoundException;
import io.junction.api.ShownText;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.RefreshPipeline;
import io.junction.api.inventory.RefreshResult;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerResult;
import io.junction.api.service.VmPower;
import io.junction.api.store.EmsStore;
import io.junction.api.store.EventStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.store.StoredEvent;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Inventory, power and events of an EMS: {@code ems:refresh}, {@code ems:vms}, {@code ems:power}, {@code ems:events} and friends. */
@Component(service = InventoryCommands.class, property = {
        "osgi.command.scope=ems",
        "osgi.command.function=refresh", "osgi.command.function=vms", "osgi.command.function=templates",
        "osgi.command.function=hosts", "osgi.command.function=clusters", "osgi.command.function=power",
        "osgi.command.function=events",
        // the role each function needs from a remote caller (io.junction.api.security.Role)
        "junction.command.role=vms=viewer", "junction.command.role=templates=viewer", "junction.command.role=hosts=viewer",
        "junction.command.role=clusters=viewer", "junction.command.role=events=viewer",
        "junction.command.role=refresh=operator", "junction.command.role=power=operator"})
public class InventoryCommands {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference
    private EmsStore store;

    @Reference
    private InventoryStore inventory;

    @Reference
    private EventStore events;

    @Reference
    private RefreshPipeline refresh;

    @Reference
    private VmPower power;

    @Descriptor("refreshes the stored inventory of an EMS from its provider (all or nothing)")
    public String refresh(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:refresh", () -> {
            Ems e = store.requireEms(ems);
            PrintStream out = System.out;
            RefreshResult result = refresh.refresh(e.id(), new RefreshPipeline.Progress() {
                @Override
                public void progress(long seen, long written) {
                    out.printf("  … %,d items received, %,d written%n", seen, written);
                    out.flush();
                }

                @Override
                public void joined() {
                    out.println("A refresh of EMS '" + e.name() + "' is already running; waiting for it.");
                    out.flush();
                }
            });
            RefreshCounts c = result.counts();
            long[] n = inventory.counts(e.id());
            return String.format("Refreshed EMS '%s'%s: %,d created, %,d updated, %,d deleted, %,d unchanged%s in %.1f s%n  now %s",
                    e.name(), result.joined() ? " (by the refresh that was running)" : "", c.created(), c.updated(), c.deleted(),
                    c.unchanged(), c.skipped() > 0 ? String.format(", %,d malformed skipped", c.skipped()) : "",
                    result.took().toMillis() / 1000.0, describeCounts(n));
        });
    }

    /** What {@code InventoryStore.counts} says, as a phrase: "4 clusters, 100 hosts, 20,000 VMs, 4 templates, 1 datastore". */
    static String describeCounts(long[] n) {
        String[] kinds = {"cluster", "host", "VM", "template", "datastore"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            text.append(i == 0 ? "" : ", ").append(String.format("%,d %s%s", n[i], kinds[i], n[i] == 1 ? "" : "s"));
        }
        return text.toString();
    }

    @Descriptor("lists the VMs of an EMS")
    public String vms(
            @Descriptor("only VMs whose name or reference contains this text") @Parameter(names = {"-f", "--filter"}, absentValue = Options.ABSENT) String filter,
            @Descriptor("only VMs in this power state: on, off, suspended or unknown") @Parameter(names = {"-s", "--state"}, absentValue = Options.ABSENT) String state,
            @Descriptor("at most this many (default 100)") @Parameter(names = {"-l", "--limit"}, absentValue = "100") String limit,
            @Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:vms", () -> listVms(ems, false, filter, state, limit));
    }

    @Descriptor("lists the templates of an EMS")
    public String templates(
            @Descriptor("only templates whose name or reference contains this text") @Parameter(names = {"-f", "--filter"}, absentValue = Options.ABSENT) String filter,
            @Descriptor("at most this many (default 100)") @Parameter(names = {"-l", "--limit"}, absentValue = "100") String limit,
            @Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:templates", () -> listVms(ems, true, filter, Options.ABSENT, limit));
    }

    private String listVms(String ems, boolean templates, String filterOption, String stateOption, String limit) {
        Ems e = store.requireEms(ems);
        int max = parseCount("--limit", limit);
        String filter = Options.given("--filter", filterOption, "all").orElse("");
        PowerState powerState = Options.given("--state", stateOption, "every state").map(InventoryCommands::parseState).orElse(null);
        List<VmItem> vms = inventory.vms(e.id(), new VmQuery(templates, filter, powerState, max + 1));
        String what = templates ? "templates" : "VMs";
        if (vms.isEmpty()) {
            return "No " + what + (filter.isEmpty() && powerState == null ? "" : " match") + " in EMS '" + e.name() + "'"
                    + (inventory.lastRefresh(e.id()).at() == null ? "; it was never refreshed (ems:refresh " + e.name() + ")" : "");
        }
        Table table = templates ? new Table("NAME", "REFERENCE", "CPUS", "MEMORY MB", "GUEST OS")
                : new Table("NAME", "REFERENCE", "STATE", "RAW STATE", "HOST", "CPUS", "MEMORY MB", "IP ADDRESSES");
        for (VmItem v : vms.subList(0, Math.min(max, vms.size()))) {
            if (templates) {
                table.row(v.name(), v.emsRef(), v.cpuCount(), v.memoryMb(), v.guestOs());
            } else {
                table.row(v.name(), v.emsRef(), v.powerState().label(), v.rawState(), v.hostRef(), v.cpuCount(), v.memoryMb(),
                        String.join(", ", v.ipAddresses()));
            }
        }
        return table + (vms.size() > max ? "(first " + max + " shown; use --limit or --filter)\n" : "");
    }

    @Descriptor("lists the hosts of an EMS")
    public String hosts(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:hosts", () -> {
            Ems e = store.requireEms(ems);
            List<HostItem> hosts = inventory.hosts(e.id());
            if (hosts.isEmpty()) {
                return "No hosts in EMS '" + e.name() + "'";
            }
            // A person reads the cluster's name; its reference only stands in for a cluster not stored.
            Map<String, String> clusterNames = inventory.clusters(e.id()).stream()
                    .collect(Collectors.toMap(ClusterItem::emsRef, ClusterItem::name, (a, b) -> a));
            Table table = new Table("NAME", "REFERENCE", "CLUSTER", "STATE", "CPUS", "MEMORY GB");
            hosts.forEach(h -> table.row(h.name(), h.emsRef(),
                    h.clusterRef() == null ? "-" : clusterNames.getOrDefault(h.clusterRef(), h.clusterRef()), h.powerState().label(), h.cpuCount(),
                    String.format(Locale.ROOT, "%.1f", h.memoryBytes() / 1024.0 / 1024 / 1024)));
            return table.toString();
        });
    }

    @Descriptor("lists the clusters of an EMS")
    public String clusters(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:clusters", () -> {
            Ems e = store.requireEms(ems);
            List<ClusterItem> clusters = inventory.clusters(e.id());
            if (clusters.isEmpty()) {
                return "No clusters in EMS '" + e.name() + "'";
            }
            Table table = new Table("NAME", "REFERENCE");
            clusters.forEach(c -> table.row(c.name(), c.emsRef()));
            return table.toString();
        });
    }

    @Descriptor("changes a VM's power: start, stop, shutdown, suspend, resume, restart (soft) or reset (hard)")
    public String power(@Descriptor("EMS id or name") String ems, @Descriptor("VM name or reference") String vm,
                        @Descriptor("start, stop, shutdown, suspend, resume, restart (soft) or reset (hard)") String action) {
        return Commands.run("ems:power", () -> {
            Ems e = store.requireEms(ems);
            PowerAction a = PowerAction.fromLabel(action);
            VmPower.Outcome done = power.perform(e, vm, a);
            VmItem target = done.vm();
            PowerResult result = done.result();
            return "VM '" + target.name() + "' (" + target.emsRef() + "): " + a.label() + " done; now " + result.state().label()
                    + (result.rawState() == null ? "" : " (" + result.rawState() + ")");
        });
    }

    @Descriptor("shows the latest events of an EMS; --follow keeps showing new ones until interrupted (Ctrl-C)")
    public String events(
            @Descriptor("how many of the latest (default 20)") @Parameter(names = {"-t", "--tail"}, absentValue = "20") String tail,
            @Descriptor("keep showing new events") @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:events", () -> {
            Ems e = store.requireEms(ems);
            int n = parseCount("--tail", tail);
            List<StoredEvent> latest = events.latest(e.id(), n);
            PrintStream out = System.out;
            if (latest.isEmpty() && !follow) {
                return "No events stored for EMS '" + e.name() + "'";
            }
            latest.forEach(ev -> out.println(line(ev)));
            if (follow) {
                long last = latest.isEmpty() ? 0 : latest.get(latest.size() - 1).id();
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        List<StoredEvent> more;
                        try {
                            more = events.after(e.id(), last, 500);
                        } catch (RuntimeException failed) {
                            // Ctrl-C can land in the middle of a query, which the database then fails.
                            if (Thread.currentThread().isInterrupted()) {
                                break;
                            }
                            throw failed;
                        }
                        for (StoredEvent ev : more) {
                            out.println(line(ev));
                            last = ev.id();
                        }
                        out.flush();
                        Thread.sleep(500);
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
            out.flush();
            return null;
        });
    }

    private static String line(StoredEvent ev) {
        var e = ev.event();
        // Provider text: spelled out where it holds control or format characters, as in listings.
        return ShownText.visible(TIME.format(e.occurredAt()) + "  " + e.source() + "  " + e.type()
                + (e.severity() == null ? "" : "  " + e.severity())
                + (e.subjectRef() == null ? "" : "  [" + e.subjectRef() + "]")
                + (e.message() == null ? "" : "  " + e.message().replace('\n', ' '))
                + "  (" + e.providerEventId() + ")");
    }

    private static int parseCount(String option, String text) {
        if (!text.strip().matches("[0-9]{1,7}") || Integer.parseInt(text.strip()) < 1) {
            throw new InvalidInputException(option + " expects a number from 1 to 9999999, got " + ShownText.quote(text));
        }
        return Integer.parseInt(text.strip());
    }

    private static PowerState parseState(String text) {
        for (PowerState s : PowerState.values()) {
            if (s.label().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new InvalidInputException("unknown state " + ShownText.quote(text) + "; states: on, off, suspended, unknown");
    }
}
