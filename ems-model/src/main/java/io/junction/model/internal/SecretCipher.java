package io.junction.model.internal;

import io.junction.api.JunctionException;
import io.junction.api.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM. The key lives in a file of its own, readable only
 * by its owner, created with random bytes the first time it is needed; it never enters the
 * database, so a copy of the database alone reveals no secret. {@link SecretKeys} checks the
 * file against the database before anything is encrypted with it.
 */
final class SecretCipher {
    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    // Binds ciphertexts to their use, so they cannot be replayed into another kind of field.
    private static final byte[] AAD = "junction/credential/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_ID_LABEL = "junction/secret-key-id/v1".getBytes(StandardCharsets.US_ASCII);
    static final int KEY_BYTES = 32;

    /** What a credential whose secret was forgotten (bin/junction --forget-secrets) says when used. */
    static final String FORGOTTEN = "the secret of this credential was forgotten (its key was lost); enter it again with ems:credential";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A cipher on these key bytes, which must be {@link #KEY_BYTES} long; the caller clears its copy. */
    static SecretCipher of(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secret key has " + KEY_BYTES + " bytes");
        }
        return new SecretCipher(key);
    }

    /**
     * Creates the key file with random bytes, owner read/write only, and returns the cipher on the
     * key it holds. Never replaces a file: if another process made one first, theirs is used.
     */
    static SecretCipher createKeyFile(Path file, SecureRandom random) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        Path tmp = Files.createTempFile(dir, ".junction-key", ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(tmp, key);
            try {
                // A hard link appears whole and never replaces a file (a rename would, on POSIX):
                // if another process made the key first, theirs is kept.
                Files.createLink(file, tmp);
                return new SecretCipher(key);
            } catch (FileAlreadyExistsException raced) {
                byte[] theirs = Files.readAllBytes(file);
                try {
                    return of(theirs);
                } finally {
                    Arrays.fill(theirs, (byte) 0);
                }
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                // A file system without hard links: a rename, which one Junction per home (data/.lock) keeps from racing.
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                return new SecretCipher(key);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Names the key without revealing it: an HMAC of a fixed label under the key. Stored in the
     * database, it tells at start whether the key file is the one the secrets were written with.
     */
    String keyId() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] id = mac.doFinal(KEY_ID_LABEL);
            return HexFormat.of().formatHex(id, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new JunctionException("cannot derive the secret key's id: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether this key opens the stored secret. */
    boolean opens(byte[] stored) {
        try {
            decrypt(stored).close();
            return true;
        } catch (JunctionException e) {
            return false;
        }
    }

    byte[] encrypt(Secret secret) {
        char[] chars = secret.reveal();
        byte[] plain = null;
        try {
            plain = utf8(chars);
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new JunctionException("cannot encrypt the secret: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(chars, '\0');
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    Secret decrypt(byte[] stored) {
        if (stored.length == 0) {
            throw new JunctionException(FORGOTTEN);
        }
        if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != FORMAT) {
            throw new JunctionException("stored secret has an unknown format");
        }
        byte[] plain = null;
        char[] chars = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(AAD);
            plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plain));
            chars = new char[decoded.remaining()];
            decoded.get(chars);
            Arrays.fill(decoded.array(), '\0');
            return Secret.of(chars);
        } catch (GeneralSecurityException e) {
            // A different key file than the one the secret was stored with is the usual cause.
            throw new JunctionException("cannot decrypt the stored secret: the secret key file does not match it");
        } catch (CharacterCodingException e) {
            throw new JunctionException("stored secret is damaged");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    private static byte[] utf8(char[] chars) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(chars));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            Arrays.fill(encoded.array(), (byte) 0);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new JunctionException("secret is not valid text");
        }
    }
}
