package io.junction.security.internal;

import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.security.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users file ({@code etc/users.properties}, owner-only): per user {@code role.<name>},
 * {@code password.<name>} (a {@link PasswordHash}, never the password) and {@code key.<n>.<name>}
 * (authorized keys), {@code token.<id>.<name>} (API tokens: the SHA-256 of the secret, when it
 * was made, its label; never the token). Written whole to a temporary file and moved into place, so a reader sees the
 * old file or the new one.
 */
final class UserFile {
    /** Letters, digits and {@code . _ -}, starting with a letter or digit; what a login name usually is. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern KEY = Pattern.compile("key\\.(\\d+)\\.(.+)");
    private static final Pattern TOKEN = Pattern.compile("token\\.([a-z0-9]+)\\.(.+)");

    /** One user as stored. */
    record Entry(String name, Role role, String passwordHash, List<AuthorizedKey> keys, List<StoredToken> tokens) {
        Entry {
            keys = List.copyOf(keys);
            tokens = List.copyOf(tokens);
        }
    }

    /** An API token as stored: its public id, the SHA-256 of its secret part (base64url), when made, its label. */
    record StoredToken(String id, String hash, java.time.Instant created, String label) {
        static StoredToken parse(String id, String value) {
            String[] parts = value.split(";", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not <hash>;<created>;<label>");
            }
            return new StoredToken(id, parts[0], java.time.Instant.parse(parts[1]), parts[2]);
        }

        String value() {
            return hash + ";" + created + ";" + label;
        }
    }

    private final Path file;

    UserFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new InvalidInputException("invalid user name '" + name
                    + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return n;
    }

    /** The users, by name; none when the file does not exist yet. */
    Map<String, Entry> read() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | IllegalArgumentException e) {
            throw new JunctionException("cannot read the users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Role> roles = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        Map<String, TreeMap<Integer, AuthorizedKey>> keys = new TreeMap<>();
        Map<String, List<StoredToken>> tokens = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k);
            try {
                if (k.startsWith("role.")) {
                    roles.put(k.substring(5), Role.parse(v));
                } else if (k.startsWith("password.")) {
                    hashes.put(k.substring(9), v);
                } else {
                    Matcher m = KEY.matcher(k);
                    Matcher t = TOKEN.matcher(k);
                    if (m.matches()) {
                        keys.computeIfAbsent(m.group(2), x -> new TreeMap<>()).put(Integer.parseInt(m.group(1)), AuthorizedKey.parse(v));
                    } else if (t.matches()) {
                        tokens.computeIfAbsent(t.group(2), x -> new ArrayList<>()).add(StoredToken.parse(t.group(1), v));
                    }
                }
            } catch (RuntimeException e) {
                // One damaged line must not lock everybody out; the user it belongs to loses that item.
                org.slf4j.LoggerFactory.getLogger(UserFile.class).warn("users file {}: ignoring {}: {}", file, k, e.getMessage());
            }
        }
        Map<String, Entry> users = new TreeMap<>();
        for (Map.Entry<String, Role> r : roles.entrySet()) {
            String name = r.getKey();
            users.put(name, new Entry(name, r.getValue(), hashes.get(name),
                    new ArrayList<>(keys.getOrDefault(name, new TreeMap<>()).values()),
                    tokens.getOrDefault(name, List.of()).stream().sorted(java.util.Comparator.comparing(StoredToken::created)).toList()));
        }
        return Collections.unmodifiableMap(users);
    }

    void write(Map<String, Entry> users) {
        StringBuilder text = new StringBuilder("# Junction users: managed with the user:* commands; passwords are stored only as\n"
                + "# salted PBKDF2 hashes. Keep this file owner-only.\n");
        for (Entry u : users.values()) {
            text.append("role.").append(escapeKey(u.name())).append('=').append(u.role().id()).append('\n');
            if (u.passwordHash() != null) {
                text.append("password.").append(escapeKey(u.name())).append('=').append(u.passwordHash()).append('\n');
            }
            int i = 1;
            for (AuthorizedKey key : u.keys()) {
                text.append("key.").append(i++).append('.').append(escapeKey(u.name())).append('=')
                        .append(escapeValue(key.line())).append('\n');
            }
            for (StoredToken token : u.tokens()) {
                text.append("token.").append(token.id()).append('.').append(escapeKey(u.name())).append('=')
                        .append(escapeValue(token.value())).append('\n');
            }
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".users", ".tmp");
            try {
                PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
                if (posix != null) {
                    posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
                }
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
                    w.write(text.toString());
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new JunctionException("cannot write the users file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String escapeKey(String name) {
        return name.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    private static String escapeValue(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c > 0x7e || c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
