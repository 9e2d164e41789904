package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the secret key file against a real embedded Derby database. */
class SecretKeysTest {
    @TempDir
    Path dir;
    private EmbeddedDataSource ds;
    private Path key;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @BeforeEach
    void database() throws Exception {
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        SchemaMigration.migrate(ds);
        key = dir.resolve("etc/junction.key");
    }

    private SecretKeys.Outcome check() {
        return SecretKeys.check(key, ds, false, random, clock);
    }

    private SecretKeys.Refusal refused() {
        return assertThrows(SecretKeys.Refusal.class, this::check);
    }

    private void storeSecret(SecretCipher cipher, String secret) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO JN_EMS (NAME, EMS_TYPE, CREATED) VALUES ('e" + System.nanoTime() + "', 'microsoft', CURRENT_TIMESTAMP)",
                    Statement.RETURN_GENERATED_KEYS);
            long ems;
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                ems = keys.getLong(1);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO JN_AUTHENTICATION (EMS_ID, KIND, PRINCIPAL, SECRET, UPDATED)"
                    + " VALUES (?, 'password', 'u', ?, CURRENT_TIMESTAMP)")) {
                p.setLong(1, ems);
                p.setBytes(2, cipher.encrypt(Secret.of(secret.toCharArray())));
                p.executeUpdate();
            }
        }
    }

    private String recordedKeyId() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT KEY_ID FROM JN_SECRET_KEY")) {
            return r.next() ? r.getString(1) : null;
        }
    }

    @Test
    void firstStartMakesAnOwnerOnlyKeyAndRecordsItsId() throws Exception {
        SecretCipher cipher = check().cipher();
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertEquals(cipher.keyId(), recordedKeyId());
        assertEquals(cipher.keyId(), check().cipher().keyId());
    }

    @Test
    void aMissingKeyWithSecretsStoredIsRefusedAndNoKeyIsMade() throws Exception {
        storeSecret(check().cipher(), "s1");
        Files.delete(key);
        SecretKeys.Refusal e = refused();
        assertEquals("secret key file " + key + " is missing and the database holds 1 secret encrypted with it: restore it from a"
                + " backup, or run bin/junction --forget-secrets to forget it and enter it again", e.getMessage());
        assertFalse(Files.exists(key));
    }

    @Test
    void damagedKeysAreRefusedAndLeftAsTheyAre() throws Exception {
        SecretCipher cipher = check().cipher();
        storeSecret(cipher, "s1");
        storeSecret(cipher, "s2");
        byte[] original = Files.readAllBytes(key);
        Files.write(key, new byte[0]);
        assertTrue(refused().getMessage().startsWith("secret key file " + key + " is damaged (empty) and the database holds 2 secrets"));
        Files.write(key, java.util.Arrays.copyOf(original, 16));
        assertTrue(refused().getMessage().contains("is damaged (16 bytes, a key has 32)"));
        assertEquals(16, Files.size(key));
        Files.write(key, original);
        assertEquals(cipher.keyId(), check().cipher().keyId());
    }

    @Test
    void anotherKeyIsRecognisedWithoutASecretToTry() throws Exception {
        SecretCipher cipher = check().cipher();
        storeSecret(cipher, "s1");
        byte[] original = Files.readAllBytes(key);
        Files.delete(key);
        SecretCipher.createKeyFile(key, random);
        assertTrue(refused().getMessage().startsWith("secret key file " + key + " is not the key the database's 1 secret was encrypted with"));
        assertEquals(cipher.keyId(), recordedKeyId());
        Files.delete(key);
        Files.write(key, original);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        check();
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        check();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("secret key file " + key + " is accessible by group or others (rw-r--r--): make it owner-only with chmod 600 "
                + key, refused().getMessage());
    }

    @Test
    void aDatabaseFromBeforeKeyIdsGetsOneWhenTheKeyOpensItsSecrets() throws Exception {
        SecretCipher cipher = check().cipher();
        storeSecret(cipher, "s1");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM JN_SECRET_KEY");
        }
        assertNull(recordedKeyId());
        check();
        assertEquals(cipher.keyId(), recordedKeyId());

        // ...but not when the key is another one.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM JN_SECRET_KEY");
        }
        Files.delete(key);
        SecretCipher.createKeyFile(key, random);
        refused();
        assertNull(recordedKeyId());
    }

    @Test
    void forgettingKeepsTheCredentialsAndMarksThemToBeEnteredAgain() throws Exception {
        SecretCipher old = check().cipher();
        storeSecret(old, "s1");
        Files.delete(key);
        SecretKeys.Outcome outcome = SecretKeys.check(key, ds, true, random, clock);
        assertTrue(outcome.forgotten().startsWith("Forgot 1 secret that " + key + " could not read; a new key was made"), outcome.forgotten());
        assertEquals(outcome.cipher().keyId(), recordedKeyId());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT PRINCIPAL, STATUS, SECRET FROM JN_AUTHENTICATION")) {
            assertTrue(r.next());
            assertEquals("u", r.getString(1));
            assertEquals("forgotten", r.getString(2));
            assertArrayEquals(new byte[0], r.getBytes(3));
        }
        // The new key now starts normally, and a second forget has nothing to do.
        check();
        assertTrue(SecretKeys.check(key, ds, true, random, clock).forgotten().startsWith("Nothing to forget"));
    }

    @Test
    void forgettingMovesADamagedKeyAsideAndKeepsReadableSecrets() throws Exception {
        SecretCipher cipher = check().cipher();
        storeSecret(cipher, "s1");
        SecretKeys.Outcome same = SecretKeys.check(key, ds, true, random, clock);
        assertTrue(same.forgotten().startsWith("Nothing to forget"), same.forgotten());
        assertEquals(cipher.keyId(), same.cipher().keyId());

        Files.write(key, new byte[3]);
        SecretKeys.Outcome outcome = SecretKeys.check(key, ds, true, random, clock);
        assertTrue(outcome.forgotten().contains("the damaged key file was moved to junction.key.damaged-"), outcome.forgotten());
        try (var aside = Files.list(key.getParent())) {
            assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith("junction.key.damaged-")).count());
        }
        assertEquals(32, Files.size(key));
    }
}
