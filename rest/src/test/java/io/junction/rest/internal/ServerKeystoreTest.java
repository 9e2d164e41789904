package io.junction.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.JunctionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerKeystoreTest {

    @Test
    void madeOnceOwnerOnlyWithACertificateForTheLoopbackNames(@TempDir Path home) throws Exception {
        ServerKeystore.Located first = ServerKeystore.generated(home);
        assertTrue(first.generated());
        for (String f : List.of(ServerKeystore.GENERATED, ServerKeystore.GENERATED_PASSWORD)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(f))), f);
        }
        KeyStore store = ServerKeystore.open(first.file(), first.password());
        X509Certificate cert = (X509Certificate) store.getCertificate(store.aliases().nextElement());
        cert.checkValidity();
        cert.verify(cert.getPublicKey()); // self-signed
        String names = cert.getSubjectAlternativeNames().toString();
        assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names);
        assertTrue(first.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), first.fingerprint());

        // kept: the second start reuses it, so a client that trusted it keeps trusting it
        ServerKeystore.Located second = ServerKeystore.generated(home);
        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(first.password(), second.password());
        assertFalse(first.toString().contains(first.password()), "the password is never shown");
    }

    @Test
    void aConfiguredKeystoreWithTheWrongPasswordIsRefusedInOneLineWithoutThePassword(@TempDir Path home) {
        ServerKeystore.Located made = ServerKeystore.generated(home);
        assertEquals(made.fingerprint(), ServerKeystore.configured(made.file(), made.password()).fingerprint());
        JunctionException wrong = assertThrows(JunctionException.class, () -> ServerKeystore.configured(made.file(), "Wrong-Secret-123"));
        assertTrue(wrong.getMessage().startsWith("HTTPS: cannot open the key store " + made.file()), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("Wrong-Secret-123"));
        assertFalse(wrong.getMessage().contains("\n"));
        JunctionException missing = assertThrows(JunctionException.class, () -> ServerKeystore.configured(home.resolve("none.p12"), "x"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
