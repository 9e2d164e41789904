package io.junction.console.ssh.internal;

import io.junction.api.Connection;
import io.junction.api.Ems;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import io.junction.api.security.Users;
import io.junction.api.service.PowerAction;
import io.junction.api.store.EmsStore;
import io.junction.api.store.InventoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tab completion of the remote console: the command names the caller may run, then, by command and
 * position, EMS names, provider types, connection roles and ids, VM names, power actions, roles and
 * (for admins) user names. Options (words starting with {@code -}) do not count as positions.
 */
final class ConsoleCompleter implements Completer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCompleter.class);
    /** ems:* commands whose first word is not an EMS. */
    private static final Set<String> NO_EMS = Set.of("types", "list", "add");
    private static final int MAX_VMS = 200;

    /** The services completion reads from; any may be missing (a provider or the store going away). */
    record Sources(Supplier<EmsStore> store, Supplier<InventoryStore> inventory, Supplier<ProviderTypes> types,
                   Supplier<Users> users) {
    }

    private final RemoteCommandProcessor processor;
    private final Caller caller;
    private final Sources sources;

    ConsoleCompleter(RemoteCommandProcessor processor, Caller caller, Sources sources) {
        this.processor = processor;
        this.caller = caller;
        this.sources = sources;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String name : processor.commandsFor(caller)) {
                candidates.add(new Candidate(name));
            }
            candidates.add(new Candidate("exit"));
            return;
        }
        List<String> words = line.words();
        String command = words.get(0).toLowerCase(Locale.ROOT);
        String scope = command.contains(":") ? command.substring(0, command.indexOf(':')) : "ems";
        String function = command.substring(command.indexOf(':') + 1);
        if (line.word().startsWith("-")) {
            return;
        }
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < line.wordIndex(); i++) {
            if (!words.get(i).startsWith("-")) {
                positional.add(words.get(i));
            }
        }
        try {
            values(scope, function, positional).forEach(v -> candidates.add(new Candidate(v)));
        } catch (RuntimeException e) {
            // completion is a convenience: a store that is down proposes nothing
            LOG.debug("no completion for {}: {}", command, e.toString());
        }
    }

    private List<String> values(String scope, String function, List<String> before) {
        int position = before.size();
        if (scope.equals("user")) {
            boolean withRole = function.equals("add") || function.equals("role");
            if (position == 1 && withRole) {
                return roles();
            }
            return position == 0 && !function.equals("add") && caller.role().includes(Role.ADMIN)
                    ? get(sources.users()).map(u -> u.list().stream().map(Users.User::name).toList()).orElse(List.of())
                    : List.of();
        }
        if (!scope.equals("ems")) {
            return List.of();
        }
        if (function.equals("add")) {
            return position == 0 ? get(sources.types()).map(t -> t.all().stream().map(ProviderType::id).toList()).orElse(List.of())
                    : List.of();
        }
        if (NO_EMS.contains(function)) {
            return List.of();
        }
        if (position == 0) {
            return get(sources.store()).map(s -> s.listEms().stream().map(Ems::name).toList()).orElse(List.of());
        }
        Optional<Ems> ems = get(sources.store()).flatMap(s -> s.listEms().stream()
                .filter(e -> e.name().equals(before.get(0)) || String.valueOf(e.id()).equals(before.get(0))).findFirst());
        if (ems.isEmpty()) {
            return List.of();
        }
        long id = ems.get().id();
        return switch (function) {
            case "power" -> position == 1
                    ? get(sources.inventory()).map(i -> i.vms(id, new VmQuery(false, "", null, MAX_VMS)).stream().map(VmItem::name).toList())
                            .orElse(List.of())
                    : position == 2 ? List.of(PowerAction.values()).stream().map(PowerAction::label).toList() : List.of();
            case "connect" -> position == 1 ? get(sources.types()).flatMap(t -> t.find(ems.get().type()))
                    .map(t -> t.roles().stream().map(r -> r.role()).toList()).orElse(List.of()) : List.of();
            case "disconnect", "verify" -> position == 1 ? get(sources.store()).map(s -> connectionWords(s.connections(id))).orElse(List.of())
                    : List.of();
            case "rename" -> List.of();
            default -> List.of();
        };
    }

    private static List<String> connectionWords(List<Connection> connections) {
        List<String> words = new ArrayList<>();
        for (Connection c : connections) {
            if (!words.contains(c.role())) {
                words.add(c.role());
            }
            words.add(String.valueOf(c.id()));
        }
        return words;
    }

    private static List<String> roles() {
        return List.of(Role.values()).stream().map(Role::id).toList();
    }

    private static <T> Optional<T> get(Supplier<T> service) {
        return Optional.ofNullable(service.get());
    }
}
