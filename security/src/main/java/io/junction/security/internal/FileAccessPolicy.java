package io.junction.security.internal;

import io.junction.api.ConflictException;
import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.NotFoundException;
import io.junction.api.Secret;
import io.junction.api.security.AccessPolicy;
import io.junction.api.security.ApiTokens;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import io.junction.api.security.Users;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access policy on the users file: logins by password (PBKDF2) or authorized key, with failed
 * logins logged and slowed down; the user:* commands change the file through {@link Users} and
 * {@link ApiTokens}. API tokens are kept in the same file, as the SHA-256 of their secret part: a
 * token is 256 random bits, so a fast hash is enough (a slow one would only slow every API call).
 * There is no default user: until one is added, every remote login fails.
 */
@Component(service = {AccessPolicy.class, Users.class, ApiTokens.class}, configurationPid = SecurityConfiguration.PID)
@Designate(ocd = SecurityConfiguration.class)
public class FileAccessPolicy implements AccessPolicy, Users, ApiTokens {
    private static final Logger LOG = LoggerFactory.getLogger(FileAccessPolicy.class);
    /** Hash compared against when the user does not exist, so that the answer takes as long as for a real user. */
    private static final String DUMMY_HASH = PasswordHash.create("not a password".toCharArray());

    private volatile UserFile file;
    private volatile LoginThrottle throttle;
    private volatile Map<String, UserFile.Entry> users = Map.of();
    private volatile FileTime loaded = FileTime.fromMillis(-1);

    public FileAccessPolicy() {
    }

    /** For tests: a policy on this file, without OSGi. */
    FileAccessPolicy(Path usersFile, long delayMillis) {
        this.file = new UserFile(usersFile);
        this.throttle = new LoginThrottle(delayMillis);
    }

    @Activate
    @Modified
    void activate(BundleContext context, SecurityConfiguration config) {
        String configured = config.usersFile().strip();
        Path path;
        if (!configured.isEmpty()) {
            path = Path.of(configured);
        } else {
            String home = context.getProperty("junction.home");
            if (home == null || home.isBlank()) {
                throw new JunctionException("the framework property junction.home is not set");
            }
            path = Path.of(home, "etc", "users.properties");
        }
        this.file = new UserFile(path.toAbsolutePath().normalize());
        this.throttle = new LoginThrottle(config.failedLoginDelayMillis());
        this.loaded = FileTime.fromMillis(-1);
    }

    // ---------------------------------------------------------------------------------------------
    // AccessPolicy

    @Override
    public Optional<Caller> loginWithPassword(String user, char[] password, String origin) {
        UserFile.Entry entry = current().get(user == null ? "" : user);
        boolean ok = PasswordHash.matches(password, entry == null || entry.passwordHash() == null ? DUMMY_HASH : entry.passwordHash())
                && entry != null && entry.passwordHash() != null;
        return outcome(user, entry, ok, origin, "password");
    }

    @Override
    public Optional<Caller> loginWithKey(String user, String publicKey, String origin) {
        UserFile.Entry entry = current().get(user == null ? "" : user);
        boolean ok = false;
        if (entry != null) {
            try {
                AuthorizedKey offered = AuthorizedKey.parse(publicKey);
                ok = entry.keys().stream().anyMatch(offered::sameKey);
            } catch (InvalidInputException e) {
                ok = false;
            }
        }
        if (!ok) {
            // Keys cannot be guessed, and clients offer theirs one after the other: a key that does not
            // fit is neither slowed down nor warned about (a password failure is).
            LOG.info("public key offered for user '{}' from {} is not authorized", printable(user), origin);
            return Optional.empty();
        }
        return outcome(user, entry, true, origin, "public key");
    }

    @Override
    public Optional<Caller> loginWithToken(String token, String origin) {
        ApiTokenText parsed = ApiTokenText.parse(token);
        UserFile.Entry entry = null;
        boolean ok = false;
        if (parsed != null) {
            for (UserFile.Entry u : current().values()) {
                for (UserFile.StoredToken t : u.tokens()) {
                    if (t.id().equals(parsed.id())) {
                        entry = u;
                        ok = parsed.matches(t.hash());
                    }
                }
            }
        }
        String who = parsed == null ? "(not a Junction API token)" : "token " + parsed.id();
        if (ok) {
            throttle.succeeded(source(origin));
            // One line per API call would drown the log: successful token logins only at debug.
            LOG.debug("login: user '{}' ({}) from {} by {}", entry.name(), entry.role().id(), origin, who);
            return Optional.of(new Caller(entry.name(), entry.role(), origin));
        }
        return outcome(who, null, false, origin, "API token");
    }

    private Optional<Caller> outcome(String user, UserFile.Entry entry, boolean ok, String origin, String method) {
        String source = source(origin);
        if (ok) {
            throttle.succeeded(source);
            if (origin.startsWith("http")) {
                // Every HTTP request authenticates on its own: at INFO a busy client would fill the log.
                LOG.debug("login: user '{}' ({}) from {} by {}", entry.name(), entry.role().id(), origin, method);
            } else {
                LOG.info("login: user '{}' ({}) from {} by {}", entry.name(), entry.role().id(), origin, method);
            }
            return Optional.of(new Caller(entry.name(), entry.role(), origin));
        }
        long[] delay = throttle.failed(source);
        LOG.warn("login failed: user '{}' from {} by {}{}; failure {} from there, answer delayed {} ms", printable(user), origin, method,
                entry == null ? " (no such user)" : "", delay[1], delay[0]);
        try {
            Thread.sleep(delay[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** The address part of an origin such as {@code ssh/127.0.0.1:50122}: failures count per address, not per connection. */
    static String source(String origin) {
        return origin == null ? "" : origin.replaceFirst(":\\d+$", "");
    }

    private static String printable(String user) {
        if (user == null) {
            return "";
        }
        String s = user.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    @Override
    public boolean hasUsers() {
        return !current().isEmpty();
    }

    /** The users as in the file, reread when it changed (a restored backup, another node's copy). */
    private Map<String, UserFile.Entry> current() {
        UserFile f = file;
        FileTime modified = f.modified();
        if (!modified.equals(loaded)) {
            synchronized (this) {
                if (!modified.equals(loaded)) {
                    users = f.read();
                    loaded = modified;
                }
            }
        }
        return users;
    }

    // ---------------------------------------------------------------------------------------------
    // Users

    @Override
    public User add(String name, Role role, Secret password) {
        String n = UserFile.checkName(name);
        String hash = password == null ? null : hash(password);
        return change(all -> {
            if (all.containsKey(n)) {
                throw new ConflictException("user '" + n + "' exists already; change it with user:passwd, user:role or user:key");
            }
            all.put(n, new UserFile.Entry(n, role, hash, List.of(), List.of()));
            return all;
        }, n);
    }

    @Override
    public User setPassword(String name, Secret password) {
        String hash = hash(password);
        return update(name, u -> new UserFile.Entry(u.name(), u.role(), hash, u.keys(), u.tokens()));
    }

    @Override
    public User addKey(String name, String publicKey) {
        AuthorizedKey key = AuthorizedKey.parse(publicKey);
        return update(name, u -> {
            if (u.keys().stream().anyMatch(key::sameKey)) {
                throw new ConflictException("user '" + u.name() + "' already has key " + key.fingerprint());
            }
            List<AuthorizedKey> keys = new ArrayList<>(u.keys());
            keys.add(key);
            return new UserFile.Entry(u.name(), u.role(), u.passwordHash(), keys, u.tokens());
        });
    }

    @Override
    public User removeKey(String name, String key) {
        String k = key == null ? "" : key.strip();
        return update(name, u -> {
            List<AuthorizedKey> keys = new ArrayList<>(u.keys());
            boolean removed = keys.removeIf(a -> !k.isEmpty() && (a.fingerprint().equals(k) || a.comment().equals(k)
                    || a.line().equals(k) || (a.type() + " " + a.blob()).equals(k)));
            if (!removed) {
                throw new NotFoundException("user '" + u.name() + "' has no key '" + k + "' (give its fingerprint or comment, see user:list)");
            }
            return new UserFile.Entry(u.name(), u.role(), u.passwordHash(), keys, u.tokens());
        });
    }

    @Override
    public User setRole(String name, Role role) {
        return update(name, u -> new UserFile.Entry(u.name(), role, u.passwordHash(), u.keys(), u.tokens()));
    }

    @Override
    public void remove(String name) {
        String n = name == null ? "" : name.strip();
        change(all -> {
            if (all.remove(n) == null) {
                throw notFound(n);
            }
            return all;
        }, null);
    }

    @Override
    public List<User> list() {
        return current().values().stream().map(FileAccessPolicy::view).toList();
    }

    // ---------------------------------------------------------------------------------------------
    // ApiTokens

    @Override
    public Issued issue(String user, String label) {
        String n = user == null ? "" : user.strip();
        String l = ApiTokenText.checkLabel(label);
        ApiTokenText made = ApiTokenText.create();
        UserFile.StoredToken stored = new UserFile.StoredToken(made.id(), made.hash(), java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), l);
        update(n, u -> {
            List<UserFile.StoredToken> tokens = new ArrayList<>(u.tokens());
            tokens.add(stored);
            return new UserFile.Entry(u.name(), u.role(), u.passwordHash(), u.keys(), tokens);
        });
        LOG.info("API token {} issued for user '{}'", stored.id(), n);
        return new Issued(new ApiToken(stored.id(), n, stored.label(), stored.created()), made.text());
    }

    @Override
    public List<ApiToken> tokens() {
        List<ApiToken> all = new ArrayList<>();
        for (UserFile.Entry u : current().values()) {
            for (UserFile.StoredToken t : u.tokens()) {
                all.add(new ApiToken(t.id(), u.name(), t.label(), t.created()));
            }
        }
        return List.copyOf(all);
    }

    @Override
    public void revoke(String id) {
        String i = id == null ? "" : id.strip();
        change(all -> {
            for (Map.Entry<String, UserFile.Entry> e : all.entrySet()) {
                UserFile.Entry u = e.getValue();
                List<UserFile.StoredToken> kept = u.tokens().stream().filter(t -> !t.id().equals(i)).toList();
                if (kept.size() != u.tokens().size()) {
                    e.setValue(new UserFile.Entry(u.name(), u.role(), u.passwordHash(), u.keys(), kept));
                    return all;
                }
            }
            throw new NotFoundException("no API token with id " + io.junction.api.ShownText.quote(i) + "; see user:tokens");
        }, null);
        LOG.info("API token {} revoked", i);
    }

    private User update(String name, UnaryOperator<UserFile.Entry> change) {
        String n = name == null ? "" : name.strip();
        return change(all -> {
            UserFile.Entry u = all.get(n);
            if (u == null) {
                throw notFound(n);
            }
            all.put(n, change.apply(u));
            return all;
        }, n);
    }

    private synchronized User change(UnaryOperator<Map<String, UserFile.Entry>> change, String result) {
        loaded = FileTime.fromMillis(-1);
        Map<String, UserFile.Entry> all = change.apply(new TreeMap<>(file.read()));
        file.write(all);
        users = Map.copyOf(all);
        loaded = file.modified();
        return result == null ? null : view(all.get(result));
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("no user '" + name + "'; see user:list");
    }

    private static String hash(Secret password) {
        char[] chars = password.reveal();
        try {
            return PasswordHash.create(chars);
        } finally {
            PasswordHash.wipe(chars);
        }
    }

    private static User view(UserFile.Entry e) {
        return new User(e.name(), e.role(), e.passwordHash() != null, e.keys().stream().map(AuthorizedKey::describe).toList());
    }
}
