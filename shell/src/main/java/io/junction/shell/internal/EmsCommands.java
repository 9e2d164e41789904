package io.junction.shell.internal;

import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.NotFoundException;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.RoleSpec;
import io.junction.api.Secret;
import io.junction.api.ShownText;
import io.junction.api.inventory.RefreshStatus;
import io.junction.api.node.EmsOwnership;
import io.junction.api.store.EmsStore;
import io.junction.api.store.InventoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code ems:*} commands that manage EMSs, their connections and their credentials.
 * Every command either does all it was asked or nothing, and a refusal is one line.
 *
 * <p>Gogo binds {@code @Parameter} options first and the remaining words after them, in
 * declaration order, so options are declared before the positional parameters.
 */
@Component(service = EmsCommands.class, property = {
        "osgi.command.scope=ems",
        "osgi.command.function=types", "osgi.command.function=add", "osgi.command.function=list",
        "osgi.command.function=show", "osgi.command.function=rename", "osgi.command.function=remove",
        "osgi.command.function=connect", "osgi.command.function=disconnect", "osgi.command.function=priority",
        "osgi.command.function=credential", "osgi.command.function=uncredential",
        // the role each function needs from a remote caller (io.junction.api.security.Role)
        "junction.command.role=types=viewer", "junction.command.role=list=viewer", "junction.command.role=show=viewer",
        "junction.command.role=add=admin", "junction.command.role=rename=admin", "junction.command.role=remove=admin",
        "junction.command.role=connect=admin", "junction.command.role=disconnect=admin", "junction.command.role=priority=admin",
        "junction.command.role=credential=admin", "junction.command.role=uncredential=admin"})
public class EmsCommands {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference
    private EmsStore store;

    @Reference
    private ProviderTypes types;

    @Reference
    private InventoryStore inventory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EmsOwnership ownership;

    @Descriptor("lists the installed provider types with their connection roles")
    public String types() {
        return Commands.run("ems:types", () -> {
            List<ProviderType> all = types.all();
            if (all.isEmpty()) {
                return "No provider types installed; drop a provider bundle into deploy/.";
            }
            Table table = new Table("TYPE", "NAME", "ROLE", "REQUIRED", "CAPABILITIES", "DEFAULT");
            for (ProviderType type : all) {
                boolean first = true;
                for (RoleSpec role : type.roles()) {
                    table.row(first ? type.id() : "", first ? type.displayName() : "", role.role(),
                            role.required() ? "yes" : role.discovered() ? "discovered by " + role.discoveredBy() : "no",
                            String.join(", ", role.capabilities().stream().sorted().toList()),
                            role.defaultScheme() + ":" + role.defaultPort());
                    first = false;
                }
            }
            return table.toString();
        });
    }

    @Descriptor("adds an EMS (a provider as you see it) of an installed provider type")
    public String add(@Descriptor("provider type, see ems:types") String type,
                      @Descriptor("unique name for the EMS") String name) {
        return Commands.run("ems:add", () -> {
            Ems ems = store.createEms(type, name);
            RoleSpec[] required = types.require(ems.type()).roles().stream().filter(RoleSpec::required).toArray(RoleSpec[]::new);
            String next = required.length == 0 ? "" : "; next: ems:connect " + quote(ems.name()) + " " + required[0].role() + " <host>";
            return "Added EMS " + ems.id() + " '" + ems.name() + "' (" + ems.type() + ")" + next;
        });
    }

    @Descriptor("lists the EMSs")
    public String list() {
        return Commands.run("ems:list", () -> {
            List<Ems> all = store.listEms();
            if (all.isEmpty()) {
                return "No EMSs yet; add one with ems:add <type> <name> (types: ems:types).";
            }
            Table table = new Table("ID", "NAME", "TYPE", "CONNECTIONS", "CREDENTIALS");
            for (Ems ems : all) {
                List<Connection> connections = store.connections(ems.id());
                table.row(ems.id(), ems.name(), ems.type(),
                        connections.isEmpty() ? "-" : connections.stream()
                                .map(c -> c.role() + " " + c.address()).collect(Collectors.joining(", ")),
                        store.credentials(ems.id()).size());
            }
            return table.toString();
        });
    }

    @Descriptor("shows an EMS with its connections and credentials (secrets masked)")
    public String show(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:show", () -> {
            Ems e = store.requireEms(ems);
            List<Connection> connections = store.connections(e.id());
            Map<Long, Connection> byId = connections.stream().collect(Collectors.toMap(Connection::id, c -> c));
            StringBuilder out = new StringBuilder();
            out.append("EMS ").append(e.id()).append(" '").append(e.name()).append("'  type ").append(e.type())
                    .append(types.find(e.type()).map(t -> " (" + t.displayName() + ")").orElse(" (provider not installed)"))
                    .append("  created ").append(TIME.format(e.created())).append('\n');
            EmsOwnership owners = ownership;
            if (owners != null) {
                out.append("Background work on node ").append(owners.owner(e.id()).map(ShownText::visible).orElse("(none yet)")).append('\n');
            }
            RefreshStatus refreshed = inventory.lastRefresh(e.id());
            if (refreshed.at() == null) {
                out.append("Never refreshed\n");
            } else {
                long[] n = inventory.counts(e.id());
                out.append("Last refresh ").append(TIME.format(refreshed.at())).append(": ").append(refreshed.status())
                        .append(refreshed.detail() == null ? "" : " (" + refreshed.detail() + ")").append('\n')
                        .append("Inventory ").append(InventoryCommands.describeCounts(n)).append('\n');
            }
            out.append("\nConnections\n");
            if (connections.isEmpty()) {
                out.append("  none; add one with ems:connect\n");
            } else {
                Table table = new Table("ID", "ROLE", "URL", "TLS", "PRIORITY", "ORIGIN");
                for (Connection c : connections) {
                    table.row(c.id(), c.role(), c.url(), tls(c), priority(c, connections), c.discovered() ? "discovered" : "entered");
                }
                out.append(indent(table.toString()));
                connections.stream().filter(Connection::plainText).forEach(c -> out.append("  warning: connection ")
                        .append(c.id()).append(" uses ").append(c.scheme()).append(": credentials travel unencrypted\n"));
                connections.stream().map(TransportWarnings::basicOverHttp).filter(w -> w != null)
                        .forEach(w -> out.append("  ").append(w).append('\n'));
            }
            out.append("\nCredentials\n");
            List<Credential> credentials = store.credentials(e.id());
            if (credentials.isEmpty()) {
                out.append("  none; add one with ems:credential\n");
            } else {
                Table table = new Table("ID", "FOR", "KIND", "USER", "SECRET", "STATUS", "UPDATED");
                for (Credential c : credentials) {
                    Connection on = c.connectionId() == null ? null : byId.get(c.connectionId());
                    table.row(c.id(), on == null ? "EMS" : on.role() + " " + on.address(), c.kind().label(), c.user(), Secret.MASK,
                            c.status() == null ? "unchecked" : c.status() + " at " + TIME.format(c.checkedAt())
                                    + (c.statusDetail() == null ? "" : " (" + c.statusDetail() + ")"),
                            TIME.format(c.updated()));
                }
                out.append(indent(table.toString()));
            }
            return out.toString();
        });
    }

    @Descriptor("renames an EMS")
    public String rename(@Descriptor("EMS id or name") String ems, @Descriptor("new unique name") String newName) {
        return Commands.run("ems:rename", () -> {
            Ems before = store.requireEms(ems);
            Ems after = store.renameEms(before.id(), newName);
            return "Renamed EMS " + after.id() + " '" + before.name() + "' to '" + after.name() + "'";
        });
    }

    @Descriptor("removes an EMS with all its connections and credentials")
    public String remove(@Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:remove", () -> {
            Ems e = store.requireEms(ems);
            store.removeEms(e.id());
            return "Removed EMS " + e.id() + " '" + e.name() + "' with its connections and credentials";
        });
    }

    @Descriptor("adds a connection: how to reach one server of an EMS in one role")
    public String connect(
            @Descriptor("TCP port (default: the role's)") @Parameter(names = {"-p", "--port"}, absentValue = Options.ABSENT) String port,
            @Descriptor("scheme, e.g. https or http (default: the role's)") @Parameter(names = "--scheme", absentValue = Options.ABSENT) String scheme,
            @Descriptor("path prefix on the server, e.g. /wsman") @Parameter(names = "--path", absentValue = Options.ABSENT) String path,
            @Descriptor("do not verify the server's TLS certificate (unsafe)")
            @Parameter(names = "--no-verify-tls", presentValue = "true", absentValue = "false") boolean noVerifyTls,
            @Descriptor("PEM file with the CA certificate to trust for this server")
            @Parameter(names = "--ca-file", absentValue = Options.ABSENT) String caFile,
            @Descriptor("make it the default connection of its role (priority 1)")
            @Parameter(names = "--default", presentValue = "true", absentValue = "false") boolean makeDefault,
            @Descriptor("its place among the role's connections: 1 is tried first (the default), the others are standbys"
                    + " (default: after the role's others)")
            @Parameter(names = "--priority", absentValue = Options.ABSENT) String priority,
            @Descriptor("allow HTTP Basic authentication on a plain http connection (unsafe: the password travels readable)")
            @Parameter(names = "--allow-basic-over-http", presentValue = "true", absentValue = "false") boolean allowBasicOverHttp,
            @Descriptor("EMS id or name") String ems,
            @Descriptor("connection role, see ems:types") String role,
            @Descriptor("host name or IP address (IPv6 as ::1 or [::1])") Object host) {
        return Commands.run("ems:connect", () -> {
            Ems e = store.requireEms(ems);
            RoleSpec roleSpec = types.require(e.type()).requireRole(role.strip().toLowerCase());
            ConnectionSpec spec = new ConnectionSpec(roleSpec.role(), hostText(host),
                    Options.given("--port", port, "the role's default port").map(ConnectionSpec::parsePort).orElse(null),
                    Options.given("--scheme", scheme, "the role's default scheme").orElse(null),
                    Options.given("--path", path, "no path").orElse(null), !noVerifyTls,
                    Options.given("--ca-file", caFile, "the system's trusted CAs").map(EmsCommands::readCaFile).orElse(null),
                    makeDefault, false, allowBasicOverHttp,
                    Options.given("--priority", priority, "after the role's others").map(ConnectionSpec::parsePriority).orElse(null));
            if (makeDefault && spec.priority() != null && spec.priority() != 1) {
                throw new InvalidInputException("--default means priority 1; give --default or --priority " + spec.priority() + ", not both");
            }
            Connection c = store.addConnection(e.id(), spec);
            String basicWarning = TransportWarnings.basicOverHttp(c);
            return "Added " + c.role() + " connection " + c.id() + " to " + c.url() + " for EMS '" + e.name() + "'"
                    + placeOf(c)
                    + (c.verifyTls() ? "" : " (TLS not verified)")
                    + (c.plainText() ? "; warning: " + c.scheme() + " sends credentials unencrypted" : "")
                    + (basicWarning == null ? "" : "\n" + basicWarning);
        });
    }

    @Descriptor("removes a connection and its credential")
    public String disconnect(@Descriptor("EMS id or name") String ems,
                             @Descriptor("connection id, or a role that has one connection") String connection) {
        return Commands.run("ems:disconnect", () -> {
            Ems e = store.requireEms(ems);
            Connection c = connectionOf(e, connection);
            store.removeConnection(c.id());
            return "Removed " + c.role() + " connection " + c.id() + " (" + c.address() + ") and its credential from EMS '" + e.name() + "'";
        });
    }

    @Descriptor("moves a connection to another place among its role's connections: 1 is tried first (the default),"
            + " the others are standbys in order; the others keep their order")
    public String priority(@Descriptor("EMS id or name") String ems,
                           @Descriptor("connection id (see ems:show)") String connection,
                           @Descriptor("its new place, from 1") String priority) {
        return Commands.run("ems:priority", () -> {
            Ems e = store.requireEms(ems);
            int place = ConnectionSpec.parsePriority(priority);
            if (!connection.strip().matches("[0-9]{1,18}")) {
                throw new InvalidInputException("name the connection by its id (see ems:show), got " + ShownText.quote(connection));
            }
            Connection c = store.setPriority(connectionOf(e, connection).id(), place);
            return "Moved " + c.role() + " connection " + c.id() + " (" + c.address() + ") of EMS '" + e.name() + "'" + placeOf(c);
        });
    }

    @Descriptor("sets the credential of a connection (--role or --connection), or an EMS-level one; the secret is read without echo"
            + " or from --secret-file (a regular file of at most 64 KiB; a secret holds at most 16,000 bytes)")
    public String credential(
            CommandSession session,
            @Descriptor("role whose default connection the credential is for") @Parameter(names = "--role", absentValue = Options.ABSENT) String role,
            @Descriptor("id of the connection the credential is for") @Parameter(names = "--connection", absentValue = Options.ABSENT) String connection,
            @Descriptor("password, token, key-pair or certificate") @Parameter(names = "--kind", absentValue = "password") String kind,
            @Descriptor("user (principal) the credential authenticates as") @Parameter(names = {"-u", "--user"}, absentValue = Options.ABSENT) String user,
            @Descriptor("file holding the secret instead of typing it: a regular file of at most 64 KiB")
            @Parameter(names = "--secret-file", absentValue = Options.ABSENT) String secretFile,
            @Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:credential", () -> {
            Ems e = store.requireEms(ems);
            Optional<String> forRole = Options.given("--role", role, "an EMS-level credential");
            Optional<String> forConnection = Options.given("--connection", connection, "an EMS-level credential");
            String userName = Options.given("--user", user, "a credential without a user").orElse("");
            Optional<String> file = Options.given("--secret-file", secretFile, "typing the secret");
            if (forRole.isPresent() && forConnection.isPresent()) {
                throw new InvalidInputException("give --role or --connection, not both");
            }
            Connection target = forRole.or(() -> forConnection).map(ref -> connectionOf(e, ref)).orElse(null);
            CredentialKind credentialKind = CredentialKind.fromLabel(kind);
            // Checked before the secret is asked for, so nobody types a password for nothing.
            new CredentialSpec(credentialKind, userName, Secret.of(new char[] {'-'}));
            try (Secret secret = SecretReader.read(session, file, credentialKind)) {
                Credential c = store.setCredential(e.id(), target == null ? null : target.id(),
                        new CredentialSpec(credentialKind, userName, secret));
                return "Set " + c.kind().label() + " credential " + c.id()
                        + (userName.isEmpty() ? "" : " for user '" + c.user() + "'")
                        + (target == null ? " on EMS '" + e.name() + "'" : " on " + target.role() + " connection " + target.id()
                        + " (" + target.address() + ") of EMS '" + e.name() + "'");
            }
        });
    }

    @Descriptor("removes a credential: the one of a connection (--role or --connection) or one by id (--id)")
    public String uncredential(
            @Descriptor("role whose connection's credential to remove") @Parameter(names = "--role", absentValue = Options.ABSENT) String role,
            @Descriptor("connection whose credential to remove") @Parameter(names = "--connection", absentValue = Options.ABSENT) String connection,
            @Descriptor("credential id (see ems:show)") @Parameter(names = "--id", absentValue = Options.ABSENT) String id,
            @Descriptor("EMS id or name") String ems) {
        return Commands.run("ems:uncredential", () -> {
            Ems e = store.requireEms(ems);
            Optional<String> byRole = Options.given("--role", role, "--connection or --id");
            Optional<String> byConnection = Options.given("--connection", connection, "--role or --id");
            Optional<String> byId = Options.given("--id", id, "--role or --connection");
            if (Stream.of(byRole, byConnection, byId).filter(Optional::isPresent).count() != 1) {
                throw new InvalidInputException("name the credential with exactly one of --role, --connection or --id");
            }
            Credential c;
            if (byId.isPresent()) {
                long credentialId = parseId("credential id", byId.get());
                c = store.credentials(e.id()).stream().filter(x -> x.id() == credentialId).findFirst()
                        .orElseThrow(() -> new NotFoundException("EMS '" + e.name() + "' has no credential " + credentialId + " (see ems:show)"));
            } else {
                Connection on = connectionOf(e, byRole.or(() -> byConnection).orElseThrow());
                c = store.credentialOf(on.id()).orElseThrow(() -> new NotFoundException(
                        on.role() + " connection " + on.id() + " of EMS '" + e.name() + "' has no credential"));
            }
            store.removeCredential(c.id());
            return "Removed credential " + c.id() + " from EMS '" + e.name() + "'";
        });
    }

    /** A connection of the EMS named by id, or by a role (its default connection, priority 1). */
    private Connection connectionOf(Ems ems, String ref) {
        String r = ref.strip().toLowerCase();
        List<Connection> connections = store.connections(ems.id());
        if (r.matches("[0-9]{1,18}")) {
            long id = Long.parseLong(r);
            return connections.stream().filter(c -> c.id() == id).findFirst()
                    .orElseThrow(() -> new NotFoundException("EMS '" + ems.name() + "' has no connection " + id + " (see ems:show)"));
        }
        types.find(ems.type()).ifPresent(t -> t.requireRole(r));
        List<Connection> ofRole = connections.stream().filter(c -> c.role().equals(r)).toList();
        if (ofRole.isEmpty() && types.find(ems.type()).isEmpty()) {
            // The role could not be checked against the type: quote it as typed.
            throw new InvalidInputException("EMS '" + ems.name() + "' has no connection of role " + ShownText.quote(ref)
                    + " (its provider type '" + ems.type() + "' is not installed)");
        }
        if (ofRole.isEmpty()) {
            throw new InvalidInputException("EMS '" + ems.name() + "' has no " + r + " connection; add one with ems:connect "
                    + quote(ems.name()) + " " + r + " <host>");
        }
        return Connection.forRole(ofRole, r).orElseThrow();
    }

    /**
     * The host as typed. Gogo reads {@code [::1]} as a list holding {@code ::1}, so a one-element
     * list is an IPv6 literal in brackets.
     */
    private static String hostText(Object host) {
        if (host instanceof List<?> list && list.size() == 1) {
            return "[" + list.get(0) + "]";
        }
        return host == null ? "" : host.toString();
    }

    /** The most a CA file may hold: a bundle of every public root CA is about 220 KB. */
    static final int MAX_CA_FILE_BYTES = 1024 * 1024;

    private static String readCaFile(String file) {
        byte[] pem = SmallFile.read("CA file", Path.of(file), MAX_CA_FILE_BYTES);
        return ConnectionSpec.checkPemCertificate(new String(pem, StandardCharsets.US_ASCII));
    }

    private static long parseId(String what, String text) {
        if (!text.strip().matches("[0-9]{1,18}")) {
            throw new InvalidInputException(what + " must be a number, got " + ShownText.quote(text));
        }
        return Long.parseLong(text.strip());
    }

    private static String tls(Connection c) {
        if (c.plainText()) {
            return c.basicOverHttpAllowed() ? "none, Basic allowed" : "none";
        }
        return !c.verifyTls() ? "not verified" : c.caCertificate() != null ? "verified (own CA)" : "verified";
    }

    /** How a connection's priority reads in ems:show: its number, and what it is for its role when there are several. */
    private static String priority(Connection c, List<Connection> connections) {
        long ofRole = connections.stream().filter(o -> o.role().equals(c.role())).count();
        return ofRole == 1 ? String.valueOf(c.priority()) : c.priority() + (c.defaultForRole() ? " (default)" : " (standby)");
    }

    /** Where a connection stands among its role's connections, as the end of a command's answer. */
    private String placeOf(Connection c) {
        long ofRole = store.connections(c.emsId()).stream().filter(o -> o.role().equals(c.role())).count();
        return ofRole == 1 ? "" : ", priority " + c.priority() + " of " + ofRole
                + (c.defaultForRole() ? " (the " + c.role() + " default)" : " (a standby)");
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String quote(String name) {
        return name.matches("[A-Za-z0-9._-]+") ? name : "\"" + name + "\"";
    }
}
