package io.junction.rest.internal;

import io.junction.api.JunctionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The HTTPS server's key store: the configured one, or the one made at first start under {@code etc/}
 * (an EC P-256 key with a self-signed certificate for localhost and the loopback addresses, made with
 * the JDK alone (see {@link SelfSignedCertificate}), in a
 * PKCS12 file beside a file holding its random password, both owner-only from their first byte).
 */
final class ServerKeystore {
    static final String GENERATED = "etc/https-keystore.p12";
    static final String GENERATED_PASSWORD = "etc/https-keystore.password";
    private static final String ALIAS = "junction";
    private static final Duration VALIDITY = Duration.ofDays(5 * 365);

    /** A key store the server can open: where, its password, the SHA-256 fingerprint of its certificate. */
    record Located(Path file, String password, String fingerprint, boolean generated) {
        @Override
        public String toString() {
            return "Located[" + file + ", " + fingerprint + "]"; // never the password
        }
    }

    private ServerKeystore() {
    }

    /** The configured key store, checked by opening it. */
    static Located configured(Path file, String password) {
        if (!Files.isRegularFile(file)) {
            throw new JunctionException("HTTPS: the key store " + file + " does not exist; fix keystore in etc/" + HttpConfiguration.PID + ".cfg");
        }
        return new Located(file, password, fingerprint(open(file, password)), false);
    }

    /** The generated key store under {@code home}, made first if it does not exist yet. */
    static Located generated(Path home) {
        Path file = home.resolve(GENERATED);
        Path passwordFile = home.resolve(GENERATED_PASSWORD);
        try {
            if (!Files.exists(file) || !Files.exists(passwordFile)) {
                create(file, passwordFile);
            }
            String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
            return new Located(file, password, fingerprint(open(file, password)), true);
        } catch (IOException | GeneralSecurityException e) {
            throw new JunctionException("HTTPS: cannot make the key store " + file + ": " + e.getMessage(), e);
        }
    }

    static KeyStore open(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // the JDK's message for a wrong password names no secret
            throw new JunctionException("HTTPS: cannot open the key store " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the first certificate with a key, as colon-separated hex (as browsers and openssl show it). */
    static String fingerprint(KeyStore store) {
        try {
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate cert = store.getCertificate(alias);
                    byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
                    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new JunctionException("HTTPS: cannot read the certificate of the key store: " + e.getMessage(), e);
        }
        throw new JunctionException("HTTPS: the key store holds no key with a certificate");
    }

    private static void create(Path file, Path passwordFile) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate cert = selfSigned(pair);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[] {cert});

        // The password first: a key store without its password file would be made again next time.
        writeOwnerOnly(passwordFile, out -> out.write((password + "\n").getBytes(StandardCharsets.US_ASCII)));
        writeOwnerOnly(file, out -> {
            try {
                store.store(out, password.toCharArray());
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        List<String> names = new ArrayList<>(List.of("localhost"));
        String host = InetAddress.getLocalHost().getHostName();
        if (!host.isBlank() && !host.toLowerCase(Locale.ROOT).equals("localhost") && host.chars().allMatch(c -> c < 0x7f && c > ' ')) {
            names.add(host);
        }
        return SelfSignedCertificate.create(pair, "localhost", names,
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
                now.minus(Duration.ofMinutes(5)), now.plus(VALIDITY));
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeOwnerOnly(Path file, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".https", ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try {
                // One Junction per home (data/.lock): nothing races this rename.
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // the file already there wins
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
