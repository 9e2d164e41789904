package io.junction.shell.internal;

import io.junction.api.CredentialKind;
import io.junction.api.InvalidInputException;
import io.junction.api.Secret;
import io.junction.api.security.ApiTokens;
import io.junction.api.security.Role;
import io.junction.api.security.Users;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code user:*} commands: the users who may log in to the console (and later the REST API),
 * their role, password and authorized keys, and the API tokens that act as them. Passwords are typed without echo or read from a file,
 * and only their salted hash is kept.
 */
@Component(service = UserCommands.class, property = {
        "osgi.command.scope=user",
        "osgi.command.function=add", "osgi.command.function=passwd", "osgi.command.function=key",
        "osgi.command.function=role", "osgi.command.function=remove", "osgi.command.function=list",
        "osgi.command.function=token", "osgi.command.function=tokens",
        "junction.command.role=add=admin", "junction.command.role=passwd=admin", "junction.command.role=key=admin",
        "junction.command.role=role=admin", "junction.command.role=remove=admin", "junction.command.role=list=admin",
        "junction.command.role=token=admin", "junction.command.role=tokens=admin"})
public class UserCommands {

    @Reference
    private Users users;
    @Reference
    private ApiTokens tokens;

    @Descriptor("adds a user with a role (viewer, operator or admin); the password is read without echo or from --password-file")
    public String add(
            CommandSession session,
            @Descriptor("file holding the password (instead of typing it)") @Parameter(names = "--password-file", absentValue = Options.ABSENT) String passwordFile,
            @Descriptor("no password: the user logs in with an authorized key only (see user:key)")
            @Parameter(names = "--no-password", presentValue = "true", absentValue = "false") boolean noPassword,
            @Descriptor("login name") String name,
            @Descriptor("viewer, operator or admin") String role) {
        return Commands.run("user:add", () -> {
            Role r = Role.parse(role);
            Optional<String> file = Options.given("--password-file", passwordFile, "typing the password");
            if (noPassword && file.isPresent()) {
                throw new InvalidInputException("give --password-file or --no-password, not both");
            }
            // The name is checked before the password is asked for, so nobody types a password for nothing.
            if (users.list().stream().anyMatch(u -> u.name().equals(name.strip()))) {
                throw new io.junction.api.ConflictException("user '" + name.strip() + "' exists already; change it with user:passwd, user:role or user:key");
            }
            if (noPassword) {
                Users.User u = users.add(name, r, null);
                return "Added user '" + u.name() + "' (" + u.role() + ") without a password; authorize a key with user:key " + u.name() + " <public key>";
            }
            try (Secret password = SecretReader.read(session, file, CredentialKind.PASSWORD)) {
                Users.User u = users.add(name, r, password);
                return "Added user '" + u.name() + "' (" + u.role() + ")";
            }
        });
    }

    @Descriptor("sets a user's password, read without echo or from --password-file")
    public String passwd(
            CommandSession session,
            @Descriptor("file holding the password (instead of typing it)") @Parameter(names = "--password-file", absentValue = Options.ABSENT) String passwordFile,
            @Descriptor("login name") String name) {
        return Commands.run("user:passwd", () -> {
            Optional<String> file = Options.given("--password-file", passwordFile, "typing the password");
            users.list().stream().filter(u -> u.name().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new io.junction.api.NotFoundException("no user '" + name.strip() + "'; see user:list"));
            try (Secret password = SecretReader.read(session, file, CredentialKind.PASSWORD)) {
                return "Changed the password of user '" + users.setPassword(name, password).name() + "'";
            }
        });
    }

    @Descriptor("authorizes a public key for a user (an OpenSSH public key line, or a .pub file), or removes one with --remove")
    public String key(
            @Descriptor("remove the key with this fingerprint or comment instead (see user:list)")
            @Parameter(names = "--remove", presentValue = "true", absentValue = "false") boolean remove,
            @Descriptor("login name") String name,
            @Descriptor("'<type> <base64> [comment]' in quotes, or the path of a .pub file; with --remove its fingerprint or comment") String key) {
        return Commands.run("user:key", () -> {
            if (remove) {
                return "Removed key '" + key + "' of user '" + users.removeKey(name, key).name() + "'";
            }
            Users.User u = users.addKey(name, keyText(key));
            return "Authorized key " + u.keys().get(u.keys().size() - 1) + " for user '" + u.name() + "'";
        });
    }

    @Descriptor("changes a user's role (viewer, operator or admin)")
    public String role(@Descriptor("login name") String name, @Descriptor("viewer, operator or admin") String role) {
        return Commands.run("user:role", () -> {
            Users.User u = users.setRole(name, Role.parse(role));
            return "User '" + u.name() + "' now has role " + u.role();
        });
    }

    @Descriptor("removes a user")
    public String remove(@Descriptor("login name") String name) {
        return Commands.run("user:remove", () -> {
            users.remove(name);
            return "Removed user '" + name.strip() + "'";
        });
    }

    @Descriptor("lists the users with their role, whether they have a password, and their keys' fingerprints")
    public String list() {
        return Commands.run("user:list", () -> {
            Table table = new Table("USER", "ROLE", "PASSWORD", "KEYS");
            for (Users.User u : users.list()) {
                table.row(u.name(), u.role(), u.hasPassword() ? "yes" : "no", u.keys().isEmpty() ? "-" : String.join(", ", u.keys()));
            }
            return table.isEmpty() ? "No users yet: nobody can log in remotely. Add an administrator with user:add <name> admin" : table.toString();
        });
    }

    @Descriptor("issues an API token acting as the user (for Authorization: Bearer), shown once; or revokes one with --revoke <id>")
    public String token(
            @Descriptor("revoke the token with this id instead (see user:tokens)")
            @Parameter(names = "--revoke", presentValue = "true", absentValue = "false") boolean revoke,
            @Descriptor("what the token is for, e.g. the program using it") @Parameter(names = "--label", absentValue = Options.ABSENT) String label,
            @Descriptor("login name; with --revoke the token's id") String target) {
        return Commands.run("user:token", () -> {
            if (revoke) {
                if (Options.given("--label", label, "no label").isPresent()) {
                    throw new InvalidInputException("--label is for a new token, not with --revoke");
                }
                tokens.revoke(target);
                return "Revoked API token " + target.strip();
            }
            ApiTokens.Issued issued = tokens.issue(target, Options.given("--label", label, "no label").orElse(""));
            return "Issued API token " + issued.token().id() + " for user '" + issued.token().user() + "'; it is shown only now, keep it secret:\n"
                    + issued.secret();
        });
    }

    @Descriptor("lists the API tokens: id, user, label, when issued (never the tokens themselves)")
    public String tokens() {
        return Commands.run("user:tokens", () -> {
            Table table = new Table("ID", "USER", "LABEL", "ISSUED");
            for (ApiTokens.ApiToken t : tokens.tokens()) {
                table.row(t.id(), t.user(), t.label().isEmpty() ? "-" : t.label(), t.created());
            }
            return table.isEmpty() ? "No API tokens; issue one with user:token <user>" : table.toString();
        });
    }

    /** A key given inline, or the first line of a .pub file. */
    private static String keyText(String key) {
        String k = key.strip();
        if (k.startsWith("ssh-") || k.startsWith("ecdsa-")) {
            return k;
        }
        Path file = Path.of(k);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("not a public key and no such file: " + k);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).findFirst()
                    .orElseThrow(() -> new InvalidInputException("public key file " + k + " is empty"));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read public key file " + k + ": " + e.getMessage());
        }
    }
}
