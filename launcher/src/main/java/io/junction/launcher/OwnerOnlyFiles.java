package io.junction.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps what only Junction's user may see owner-only: {@code data/} (the database with user
 * names, hosts and encrypted secrets, the logs) is made so whatever the umask it was written
 * with, as PostgreSQL insists for its data directory; files under {@code etc/} that hold secrets
 * must already be, as OpenSSH insists for a private key.
 */
final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Key material by its usual names: the secret key, SSH host keys, TLS keys and key stores. */
    private static final List<String> KEY_SUFFIXES = List.of(".key", "_key", ".pem", ".p12", ".pfx", ".jks", ".keystore");

    private OwnerOnlyFiles() {
    }

    /**
     * Takes group and others' permissions off the directory and everything in it (symbolic links
     * are not followed). Returns a one-line warning about what could not be changed, or null.
     */
    static String restrict(Path dir) throws IOException {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null || !Files.isDirectory(dir)) {
            return null;
        }
        int[] failed = {0};
        String[] first = {null};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                tighten(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isSymbolicLink()) {
                    tighten(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // Files come and go under a running framework; only what stays matters.
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    note(file, e);
                }
                return FileVisitResult.CONTINUE;
            }

            private void tighten(Path p) {
                try {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    if (permissions.removeAll(GROUP_OR_OTHERS)) {
                        Files.setPosixFilePermissions(p, permissions);
                    }
                } catch (IOException e) {
                    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        note(p, e);
                    }
                }
            }

            private void note(Path p, IOException e) {
                if (failed[0]++ == 0) {
                    first[0] = p + " (" + e.getClass().getSimpleName() + ")";
                }
            }
        });
        if (failed[0] == 0) {
            return null;
        }
        return "warning: cannot make " + (failed[0] == 1 ? first[0] : failed[0] + " files under " + dir + ", " + first[0] + " first,")
                + " owner-only; they must belong to the user Junction runs as";
    }

    /**
     * The first file under {@code etc/} that holds a secret and that group or others may access,
     * as a one-line error saying how to fix it; null when there is none. A file holds a secret
     * when it is named like key material or is a Configuration Admin file with a private
     * property ({@code .password}: a leading dot marks a property that must not be shown).
     */
    static String looseSecretFile(Path etc) throws IOException {
        if (!Files.isDirectory(etc) || Files.getFileAttributeView(etc, PosixFileAttributeView.class) == null) {
            return null;
        }
        try (Stream<Path> files = Files.walk(etc)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                loose.addAll(Files.getPosixFilePermissions(file));
                String mode = PosixFilePermissions.toString(loose);
                loose.retainAll(GROUP_OR_OTHERS);
                if (loose.isEmpty()) {
                    continue;
                }
                String what = holds(file);
                if (what != null) {
                    return "error: " + what + " " + file + " is accessible by group or others (" + mode
                            + "): make it owner-only with chmod 600 " + file;
                }
            }
        }
        return null;
    }

    private static String holds(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.equals("junction.key")) {
            return "secret key file";
        }
        if (KEY_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return "key file";
        }
        if (name.endsWith(".cfg") || name.endsWith(".config")) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IllegalArgumentException | IOException unreadable) {
                return null; // File Install reports it; nothing here says it holds a secret
            }
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(".")) {
                    return "configuration file with a secret (" + key + ")";
                }
            }
        }
        return null;
    }
}
