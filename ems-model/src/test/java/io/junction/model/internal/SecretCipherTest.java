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
        SecretCipher cipher = SecretCipher.createKeyFile(key, new SecureRandom());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertEquals(32, Files.size(key));

        byte[] sealed = cipher.encrypt(Secret.of("pässwörd-1".toCharArray()));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("ss"), "no plaintext in the ciphertext");
        try (Secret back = SecretCipher.of(Files.readAllBytes(key)).decrypt(sealed)) {
            assertArrayEquals("pässwörd-1".toCharArray(), back.reveal());
        }
    }

    @Test
    void sameSecretEncryptsDifferentlyEachTime() throws Exception {
        SecretCipher cipher = SecretCipher.createKeyFile(dir.resolve("k"), new SecureRandom());
        byte[] a = cipher.encrypt(Secret.of("x".toCharArray()));
        byte[] b = cipher.encrypt(Secret.of("x".toCharArray()));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void anotherKeyCannotDecryptAndSaysWhy() throws Exception {
        byte[] sealed = SecretCipher.createKeyFile(dir.resolve("k1"), new SecureRandom()).encrypt(Secret.of("x".toCharArray()));
        SecretCipher other = SecretCipher.createKeyFile(dir.resolve("k2"), new SecureRandom());
        JunctionException e = assertThrows(JunctionException.class, () -> other.decrypt(sealed));
        assertEquals("cannot decrypt the stored secret: the secret key file does not match it", e.getMessage());
    }

    @Test
    void tamperedCiphertextIsRefused() throws Exception {
        SecretCipher cipher = SecretCipher.createKeyFile(dir.resolve("k"), new SecureRandom());
        byte[] sealed = cipher.encrypt(Secret.of("secret".toCharArray()));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(JunctionException.class, () -> cipher.decrypt(sealed));
    }

    @Test
    void anExistingKeyFileIsNeverReplaced() throws Exception {
        Path key = dir.resolve("k");
        SecretCipher first = SecretCipher.createKeyFile(key, new SecureRandom());
        byte[] before = Files.readAllBytes(key);
        SecretCipher second = SecretCipher.createKeyFile(key, new SecureRandom());
        assertArrayEquals(before, Files.readAllBytes(key));
        assertEquals(first.keyId(), second.keyId());
    }

    @Test
    void keyIdsTellKeysApartAndRevealNothingOfTheKey() throws Exception {
        SecretCipher a = SecretCipher.createKeyFile(dir.resolve("a"), new SecureRandom());
        SecretCipher b = SecretCipher.createKeyFile(dir.resolve("b"), new SecureRandom());
        assertEquals(a.keyId(), SecretCipher.of(Files.readAllBytes(dir.resolve("a"))).keyId());
        assertFalse(a.keyId().equals(b.keyId()));
        String hex = java.util.HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("a")));
        assertFalse(hex.contains(a.keyId()));
    }

    @Test
    void aForgottenSecretSaysHowToEnterItAgain() throws Exception {
        SecretCipher cipher = SecretCipher.createKeyFile(dir.resolve("k"), new SecureRandom());
        JunctionException e = assertThrows(JunctionException.class, () -> cipher.decrypt(new byte[0]));
        assertEquals(SecretCipher.FORGOTTEN, e.getMessage());
    }
}
