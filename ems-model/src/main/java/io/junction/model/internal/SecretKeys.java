package io.junction.model.internal;

import io.junction.api.JunctionException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts stored secrets, checked against the database before anything may use it.
 * The database records the id of the key its secrets were written with; at start the key file
 * must exist, be owner-only, hold a key, and be that key. When it is not, Junction refuses to
 * start with one line saying what to do, and never makes a new key over old secrets: the
 * {@link JpaEmsStore} (disabled until this check passes) never comes up, and a service with the
 * property {@value #REFUSAL_PROPERTY} tells the launcher why.
 *
 * <p>With the framework property {@value #FORGET_PROPERTY}{@code =true} ({@code bin/junction
 * --forget-secrets}), the secrets the key file cannot read are forgotten instead: their
 * credentials stay, marked {@code forgotten}, to be entered again.
 */
@Component(service = SecretKeys.class, immediate = true, configurationPid = StoreConfiguration.PID)
@Designate(ocd = StoreConfiguration.class)
public class SecretKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);

    /** Framework property: forget the secrets the key file cannot read. */
    static final String FORGET_PROPERTY = "junction.secrets.forget";
    /** Service property, a one-line reason: Junction must not start (the launcher prints it and exits). */
    static final String REFUSAL_PROPERTY = "junction.startup.refusal";
    /** Service property, a one-line summary of what --forget-secrets did. */
    static final String FORGOTTEN_PROPERTY = "junction.secrets.forgotten";
    static final String FORGET_COMMAND = "bin/junction --forget-secrets";
    static final String FORGOTTEN_STATUS = "forgotten";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Reference(target = "(osgi.jndi.service.name=junction)")
    private DataSource dataSource;

    private volatile SecretCipher cipher;
    private ServiceRegistration<?> notice;

    /** What the check found: the key to use, and for --forget-secrets what was forgotten. */
    record Outcome(SecretCipher cipher, String forgotten) {
    }

    @Activate
    void activate(ComponentContext context, StoreConfiguration config) {
        BundleContext bundle = context.getBundleContext();
        Path keyFile = config.secretKeyFile().isBlank()
                ? JunctionHome.of(bundle).resolve("etc").resolve("junction.key")
                : Path.of(config.secretKeyFile()).toAbsolutePath();
        boolean forget = Boolean.parseBoolean(bundle.getProperty(FORGET_PROPERTY));
        try {
            Outcome outcome = check(keyFile, dataSource, forget, new SecureRandom(), Clock.systemUTC());
            cipher = outcome.cipher();
            if (outcome.forgotten() != null) {
                LOG.warn("{}", outcome.forgotten());
                notice = announce(bundle, FORGOTTEN_PROPERTY, outcome.forgotten());
            }
            context.enableComponent(JpaEmsStore.class.getName());
        } catch (Refusal e) {
            LOG.error("Junction cannot start: {}", e.getMessage());
            notice = announce(bundle, REFUSAL_PROPERTY, e.getMessage());
        } catch (RuntimeException e) {
            String line = "cannot check the secret key file " + keyFile + " against the database: " + e.getMessage()
                    + "; see data/log/junction.log";
            LOG.error("Junction cannot start: {}", line, e);
            notice = announce(bundle, REFUSAL_PROPERTY, line);
        }
    }

    @Deactivate
    void deactivate(ComponentContext context) {
        // When this bundle or the framework stops, SCR ends the store with it (SCR itself may have
        // stopped first); asking for its disabling then only makes SCR warn that it cannot schedule it.
        BundleContext bundleContext = context.getBundleContext();
        if (bundleContext.getBundle().getState() != Bundle.STOPPING
                && bundleContext.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() != Bundle.STOPPING) {
            context.disableComponent(JpaEmsStore.class.getName());
        }
        if (notice != null) {
            try {
                notice.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and took its registrations with it
            }
            notice = null;
        }
        cipher = null;
    }

    /** The checked key; only {@link JpaEmsStore} asks, and it is enabled only once there is one. */
    SecretCipher cipher() {
        SecretCipher c = cipher;
        if (c == null) {
            throw new JunctionException("the secret key has not been checked; see data/log/junction.log");
        }
        return c;
    }

    /**
     * A marker the launcher reads through the framework (it shares no classes with the bundles):
     * an Object service whose one property carries the line.
     */
    private static ServiceRegistration<?> announce(BundleContext bundle, String property, String line) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(property, line);
        return bundle.registerService(Object.class.getName(), new Object(), props);
    }

    /** A reason not to start, said in one line that names the file and what to do. */
    static final class Refusal extends JunctionException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    // ---- the check ----------------------------------------------------------------------

    static Outcome check(Path keyFile, DataSource dataSource, boolean forget, SecureRandom random, Clock clock) {
        Jdbc jdbc = new Jdbc(dataSource);
        KeyFile file = KeyFile.inspect(keyFile);
        if (file.problem() != null && file.state() != KeyFile.State.DAMAGED) {
            throw new Refusal(file.problem());
        }
        if (forget) {
            return forget(keyFile, file, jdbc, random, clock);
        }
        try {
            return jdbc.transaction("checking the secret key", c -> {
                List<byte[]> secrets = storedSecrets(c);
                String recorded = recordedKeyId(c);
                int n = secrets.size();
                String holds = "the database holds " + n + (n == 1 ? " secret" : " secrets") + " encrypted with it";
                String or = ": restore it from a backup, or run " + FORGET_COMMAND + " to forget "
                        + (n == 1 ? "it" : "them") + " and enter " + (n == 1 ? "it" : "them") + " again";
                SecretCipher key;
                switch (file.state()) {
                    case MISSING -> {
                        if (n > 0) {
                            throw new Refusal("secret key file " + keyFile + " is missing and " + holds + or);
                        }
                        key = createKeyFile(keyFile, random);
                    }
                    case DAMAGED -> throw new Refusal(n > 0
                            ? "secret key file " + keyFile + " is damaged (" + file.problem() + ") and " + holds + or
                            : "secret key file " + keyFile + " is damaged (" + file.problem()
                                    + "); the database holds no secrets: delete the file and a new key is made at the next start");
                    default -> key = file.cipher();
                }
                String id = key.keyId();
                if (n > 0 && !id.equals(recorded)) {
                    // A database from before key ids were recorded: the key is right if it opens the secrets.
                    long readable = recorded == null ? secrets.stream().filter(key::opens).count() : 0;
                    if (readable == 0) {
                        throw new Refusal("secret key file " + keyFile + " is not the key the database's " + n
                                + (n == 1 ? " secret was" : " secrets were") + " encrypted with: put back the original file, or run "
                                + FORGET_COMMAND + " to forget " + (n == 1 ? "it" : "them") + " and enter "
                                + (n == 1 ? "it" : "them") + " again");
                    }
                    if (readable < n) {
                        LOG.warn("{} of {} stored secrets cannot be read with {}; {} forgets them so they can be entered again",
                                n - readable, n, keyFile, FORGET_COMMAND);
                    }
                }
                if (!id.equals(recorded)) {
                    recordKeyId(c, id, clock);
                }
                return new Outcome(key, null);
            });
        } catch (UncheckedKeyFile e) {
            throw new Refusal("cannot create the secret key file " + keyFile + ": " + e.getMessage());
        }
    }

    private static Outcome forget(Path keyFile, KeyFile file, Jdbc jdbc, SecureRandom random, Clock clock) {
        SecretCipher key;
        String made = "";
        try {
            switch (file.state()) {
                case MISSING -> {
                    key = SecretCipher.createKeyFile(keyFile, random);
                    made = "; a new key was made in " + keyFile;
                }
                case DAMAGED -> {
                    // Kept, not deleted: it may still be worth something to whoever investigates.
                    Path aside = keyFile.resolveSibling(keyFile.getFileName() + ".damaged-"
                            + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(clock.instant()));
                    Files.move(keyFile, aside, StandardCopyOption.ATOMIC_MOVE);
                    key = SecretCipher.createKeyFile(keyFile, random);
                    made = "; the damaged key file was moved to " + aside.getFileName() + " and a new key made";
                }
                default -> key = file.cipher();
            }
        } catch (IOException e) {
            throw new Refusal("cannot make a new secret key file " + keyFile + ": " + e.getMessage());
        }
        String suffix = made;
        return jdbc.transaction("forgetting unreadable secrets", c -> {
            Timestamp now = Timestamp.from(clock.instant());
            int forgotten = 0;
            for (long id : unreadable(c, key)) {
                forgotten += Jdbc.update(c, "UPDATE JN_AUTHENTICATION SET SECRET = ?, STATUS = ?, CHECKED_AT = ?, STATUS_DETAIL = ?, UPDATED = ?"
                        + " WHERE ID = ?", s -> {
                            s.setBytes(1, new byte[0]);
                            s.setString(2, FORGOTTEN_STATUS);
                            s.setTimestamp(3, now);
                            s.setString(4, "the secret key could not read it; enter it again with ems:credential");
                            s.setTimestamp(5, now);
                            s.setLong(6, id);
                        });
            }
            recordKeyId(c, key.keyId(), clock);
            String line = forgotten == 0
                    ? "Nothing to forget: " + keyFile + " reads every stored secret" + suffix
                    : "Forgot " + forgotten + (forgotten == 1 ? " secret" : " secrets") + " that " + keyFile
                            + " could not read" + suffix + "; ems:show marks " + (forgotten == 1 ? "its credential '" : "their credentials '")
                            + FORGOTTEN_STATUS + "': enter " + (forgotten == 1 ? "it" : "them") + " again with ems:credential";
            return new Outcome(key, line);
        });
    }

    private static List<byte[]> storedSecrets(Connection c) throws java.sql.SQLException {
        return Jdbc.query(c, "SELECT SECRET FROM JN_AUTHENTICATION WHERE LENGTH(SECRET) > 0", s -> { }, 0, r -> r.getBytes(1));
    }

    private static List<Long> unreadable(Connection c, SecretCipher key) throws java.sql.SQLException {
        record Row(long id, byte[] secret) {
        }
        return Jdbc.query(c, "SELECT ID, SECRET FROM JN_AUTHENTICATION WHERE LENGTH(SECRET) > 0", s -> { }, 0,
                        r -> new Row(r.getLong(1), r.getBytes(2)))
                .stream().filter(row -> !key.opens(row.secret())).map(Row::id).toList();
    }

    private static String recordedKeyId(Connection c) throws java.sql.SQLException {
        return Jdbc.query(c, "SELECT KEY_ID FROM JN_SECRET_KEY WHERE ID = 1", s -> { }, 1, r -> r.getString(1))
                .stream().findFirst().orElse(null);
    }

    private static void recordKeyId(Connection c, String id, Clock clock) throws java.sql.SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        int updated = Jdbc.update(c, "UPDATE JN_SECRET_KEY SET KEY_ID = ?, RECORDED = ? WHERE ID = 1", s -> {
            s.setString(1, id);
            s.setTimestamp(2, now);
        });
        if (updated == 0) {
            Jdbc.update(c, "INSERT INTO JN_SECRET_KEY (ID, KEY_ID, RECORDED) VALUES (1, ?, ?)", s -> {
                s.setString(1, id);
                s.setTimestamp(2, now);
            });
        }
    }

    private static SecretCipher createKeyFile(Path keyFile, SecureRandom random) {
        try {
            return SecretCipher.createKeyFile(keyFile, random);
        } catch (IOException e) {
            throw new UncheckedKeyFile(e.getMessage());
        }
    }

    private static final class UncheckedKeyFile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedKeyFile(String message) {
            super(message);
        }
    }

    /** The key file as found on disk: missing, unusable (with why), or a key. */
    record KeyFile(State state, SecretCipher cipher, String problem) {
        enum State { MISSING, LOOSE, UNREADABLE, DAMAGED, KEY }

        static KeyFile inspect(Path file) {
            try {
                if (!Files.exists(file)) {
                    return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                            ? new KeyFile(State.DAMAGED, null, "a link to a file that does not exist")
                            : new KeyFile(State.MISSING, null, null);
                }
                if (!Files.isRegularFile(file)) {
                    return new KeyFile(State.DAMAGED, null, "not a regular file");
                }
                PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
                if (posix != null) {
                    Set<PosixFilePermission> loose = EnumSet.copyOf(posix.readAttributes().permissions());
                    loose.retainAll(GROUP_OR_OTHERS);
                    if (!loose.isEmpty()) {
                        // As OpenSSH refuses a private key others can read: the key opens every stored secret.
                        return new KeyFile(State.LOOSE, null, "secret key file " + file + " is accessible by group or others ("
                                + PosixFilePermissions.toString(posix.readAttributes().permissions()) + "): make it owner-only with chmod 600 " + file);
                    }
                }
                long size = Files.size(file);
                if (size != SecretCipher.KEY_BYTES) {
                    return new KeyFile(State.DAMAGED, null, size == 0 ? "empty" : size + " bytes, a key has " + SecretCipher.KEY_BYTES);
                }
                byte[] key = Files.readAllBytes(file);
                try {
                    if (key.length != SecretCipher.KEY_BYTES) {
                        return new KeyFile(State.DAMAGED, null, key.length + " bytes, a key has " + SecretCipher.KEY_BYTES);
                    }
                    return new KeyFile(State.KEY, SecretCipher.of(key), null);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            } catch (NoSuchFileException e) {
                return new KeyFile(State.MISSING, null, null);
            } catch (AccessDeniedException e) {
                return new KeyFile(State.UNREADABLE, null, "cannot read the secret key file " + file
                        + ": permission denied; it must belong to the user Junction runs as");
            } catch (IOException e) {
                return new KeyFile(State.UNREADABLE, null, "cannot read the secret key file " + file + ": " + e.getMessage());
            }
        }
    }
}
