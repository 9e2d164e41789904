package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.JunctionException;
import io.junction.api.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndHidesTheSecret() throws Exception {
        Path key = dir.resolve("etc/junction.key");
        SecretCipher cipher = SecretCipher.fromKeyFile(key, new SecureRandom());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertEquals(32, Files.size(key));

        byte[] sealed = cipher.encrypt(Secret.of("pässwörd-1".toCharArray()));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("ss"), "no plaintext in the ciphertext");
        try (Secret back = SecretCipher.fromKeyFile(key, new SecureRandom()).decrypt(sealed)) {
            assertArrayEquals("pässwörd-1".toCharArray(), back.reveal());
        }
    }

    @Test
    void sameSecretEncryptsDifferentlyEachTime() {
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("k"), new SecureRandom());
        byte[] a = cipher.encrypt(Secret.of("x".toCharArray()));
        byte[] b = cipher.encrypt(Secret.of("x".toCharArray()));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void anotherKeyCannotDecryptAndSaysWhy() {
        byte[] sealed = SecretCipher.fromKeyFile(dir.resolve("k1"), new SecureRandom()).encrypt(Secret.of("x".toCharArray()));
        SecretCipher other = SecretCipher.fromKeyFile(dir.resolve("k2"), new SecureRandom());
        JunctionException e = assertThrows(JunctionException.class, () -> other.decrypt(sealed));
        assertEquals("cannot decrypt the stored secret: the secret key file does not match it", e.getMessage());
    }

    @Test
    void tamperedCiphertextIsRefused() {
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("k"), new SecureRandom());
        byte[] sealed = cipher.encrypt(Secret.of("secret".toCharArray()));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(JunctionException.class, () -> cipher.decrypt(sealed));
    }

    @Test
    void damagedKeyFileIsReported() throws Exception {
        Path key = dir.resolve("short.key");
        Files.write(key, new byte[5]);
        JunctionException e = assertThrows(JunctionException.class, () -> SecretCipher.fromKeyFile(key, new SecureRandom()));
        assertEquals("secret key file " + key + " is damaged: expected 32 bytes, found 5", e.getMessage());
    }
}
