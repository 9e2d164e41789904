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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM. The key lives in a file of its own, readable only
 * by its owner, created with random bytes the first time it is needed; it never enters the
 * database, so a copy of the database alone reveals no secret.
 */
final class SecretCipher {
    private static final byte FORMAT = 1;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    // Binds ciphertexts to their use, so they cannot be replayed into another kind of field.
    private static final byte[] AAD = "junction/credential/v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the key from the file, creating the file (owner read/write only) if it does not exist. */
    static SecretCipher fromKeyFile(Path file, SecureRandom random) {
        try {
            if (!Files.exists(file)) {
                createKeyFile(file, random);
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != KEY_BYTES) {
                throw new JunctionException("secret key file " + file + " is damaged: expected " + KEY_BYTES
                        + " bytes, found " + key.length);
            }
            try {
                return new SecretCipher(key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } catch (IOException e) {
            throw new JunctionException("cannot read or create the secret key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createKeyFile(Path file, SecureRandom random) throws IOException {
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
                // ATOMIC_MOVE without REPLACE_EXISTING: if another process made the key first, keep theirs.
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // the other key wins; ours is discarded below
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(tmp);
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
