package io.junction.console.ssh.internal;

import io.junction.api.JunctionException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Key pairs kept in files under {@code etc/}: made once (EC P-256, OpenSSH format), owner-only from
 * the first byte written (a temporary file with those permissions, moved into place), and read as
 * they are on every later start.
 */
final class KeyFiles {
    private KeyFiles() {
    }

    /** The key pair in the file, made first if the file does not exist. */
    static KeyPair loadOrCreate(Path file, String comment) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // SSHD looks up its security providers through the context class loader: let it find its own bundle's.
        Thread.currentThread().setContextClassLoader(KeyUtils.class.getClassLoader());
        try {
            if (!Files.exists(file)) {
                create(file, comment);
            }
            List<KeyPair> pairs = new ArrayList<>();
            new FileKeyPairProvider(file).loadKeys(null).forEach(pairs::add);
            if (pairs.isEmpty()) {
                throw new JunctionException("the key file " + file + " holds no key pair");
            }
            return pairs.get(0);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new JunctionException("cannot read or create the key file " + file + ": " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static void create(Path file, String comment) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
            }
            try {
                // An atomic rename may replace a file on POSIX; two instances never race here, since
                // one Junction per home holds data/.lock. Where the rename refuses instead, the
                // key already there is kept.
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // the key already there wins
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
