package io.junction.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.ConflictException;
import io.junction.api.InvalidInputException;
import io.junction.api.NotFoundException;
import io.junction.api.Secret;
import io.junction.api.security.AccessDeniedException;
import io.junction.api.security.Caller;
import io.junction.api.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessPolicyTest {
    @TempDir
    Path dir;

    private FileAccessPolicy policy() {
        return new FileAccessPolicy(dir.resolve("etc/users.properties"), 0);
    }

    private static Secret secret(String s) {
        return Secret.of(s.toCharArray());
    }

    @Test
    void noUserMeansNoLogin() {
        FileAccessPolicy p = policy();
        assertFalse(p.hasUsers());
        assertTrue(p.loginWithPassword("admin", "admin".toCharArray(), "ssh/127.0.0.1:1").isEmpty());
        assertTrue(p.loginWithPassword("root", "".toCharArray(), "ssh/127.0.0.1:1").isEmpty());
    }

    @Test
    void passwordLoginGivesTheUsersRoleAndTheFileHoldsOnlyAHash() throws Exception {
        FileAccessPolicy p = policy();
        p.add("alice", Role.OPERATOR, secret("correct horse"));
        Caller c = p.loginWithPassword("alice", "correct horse".toCharArray(), "ssh/127.0.0.1:5").orElseThrow();
        assertEquals(new Caller("alice", Role.OPERATOR, "ssh/127.0.0.1:5"), c);
        assertTrue(p.loginWithPassword("alice", "wrong".toCharArray(), "ssh/127.0.0.1:5").isEmpty());
        assertTrue(p.loginWithPassword("bob", "correct horse".toCharArray(), "ssh/127.0.0.1:5").isEmpty());

        Path file = dir.resolve("etc/users.properties");
        String text = Files.readString(file);
        assertFalse(text.contains("correct horse"), text);
        assertTrue(text.contains("password.alice=pbkdf2-sha512:210000:"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        // a second policy on the same file (a restart) knows alice
        assertTrue(policy().loginWithPassword("alice", "correct horse".toCharArray(), "local").isPresent());
    }

    @Test
    void sameSaltNeverRepeats() {
        assertFalse(PasswordHash.create("x".toCharArray(), 1000).equals(PasswordHash.create("x".toCharArray(), 1000)));
        assertTrue(PasswordHash.matches("x".toCharArray(), PasswordHash.create("x".toCharArray(), 1000)));
        assertFalse(PasswordHash.matches("y".toCharArray(), PasswordHash.create("x".toCharArray(), 1000)));
        assertFalse(PasswordHash.matches("x".toCharArray(), "x"));
    }

    @Test
    void keyLoginMatchesTypeAndDataNotComment() throws Exception {
        FileAccessPolicy p = policy();
        p.add("ops", Role.VIEWER, null);
        String key = opensshKey();
        p.addKey("ops", key + " laptop");
        assertTrue(p.loginWithKey("ops", key, "ssh/127.0.0.1:7").isPresent());
        assertTrue(p.loginWithKey("ops", opensshKey(), "ssh/127.0.0.1:7").isEmpty());
        assertTrue(p.loginWithPassword("ops", "".toCharArray(), "ssh/127.0.0.1:7").isEmpty(), "a key-only user has no password");
        assertThrows(ConflictException.class, () -> p.addKey("ops", key));
        assertEquals(1, p.list().get(0).keys().size());
        assertTrue(p.list().get(0).keys().get(0).startsWith("ecdsa-sha2-nistp256 SHA256:"));
        p.removeKey("ops", "laptop");
        assertTrue(p.loginWithKey("ops", key, "ssh/127.0.0.1:7").isEmpty());
    }

    @Test
    void badInputChangesNothing() throws Exception {
        FileAccessPolicy p = policy();
        p.add("alice", Role.ADMIN, secret("pw"));
        String before = Files.readString(dir.resolve("etc/users.properties"));
        assertThrows(InvalidInputException.class, () -> p.add("bad name", Role.ADMIN, secret("pw")));
        assertThrows(InvalidInputException.class, () -> p.add("role.x=y", Role.ADMIN, secret("pw")));
        assertThrows(ConflictException.class, () -> p.add("alice", Role.VIEWER, secret("pw")));
        assertThrows(InvalidInputException.class, () -> p.addKey("alice", "ssh-rsa not-base64!"));
        assertThrows(InvalidInputException.class, () -> p.addKey("alice", "ssh-rsa " + Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, 7, 's', 's', 'h', '-', 'd', 's', 's', 1})));
        assertThrows(NotFoundException.class, () -> p.setRole("bob", Role.ADMIN));
        assertThrows(NotFoundException.class, () -> p.remove("bob"));
        assertThrows(InvalidInputException.class, () -> Role.parse("root"));
        assertEquals(before, Files.readString(dir.resolve("etc/users.properties")));
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertTrue(Role.ADMIN.includes(Role.OPERATOR));
        assertTrue(Role.OPERATOR.includes(Role.VIEWER));
        assertFalse(Role.VIEWER.includes(Role.OPERATOR));
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> policy().require(new Caller("v", Role.VIEWER, "local"), Role.OPERATOR, "ems:power"));
        assertEquals("denied: ems:power needs role operator", e.getMessage());
    }

    @Test
    void removedUserCannotLogIn() {
        FileAccessPolicy p = policy();
        p.add("alice", Role.ADMIN, secret("pw"));
        p.remove("alice");
        assertTrue(p.loginWithPassword("alice", "pw".toCharArray(), "local").isEmpty());
        assertFalse(p.hasUsers());
    }

    @Test
    void repeatedFailuresFromOneAddressAreDelayedLonger() {
        LoginThrottle t = new LoginThrottle(100);
        assertEquals(100, t.failed("ssh 10.0.0.1")[0]);
        assertEquals(200, t.failed("ssh 10.0.0.1")[0]);
        assertEquals(400, t.failed("ssh 10.0.0.1")[0]);
        assertEquals(100, t.failed("ssh 10.0.0.2")[0]);
        t.succeeded("ssh 10.0.0.1");
        assertEquals(100, t.failed("ssh 10.0.0.1")[0]);
        assertEquals("ssh/10.0.0.1", FileAccessPolicy.source("ssh/10.0.0.1:4242"));
    }

    @Test
    void apiTokensActAsTheirUserWithTheUsersRoleOfNowAndOnlyTheirHashIsKept() throws Exception {
        FileAccessPolicy p = policy();
        p.add("ci", Role.VIEWER, secret("pw"));
        io.junction.api.security.ApiTokens.Issued issued = p.issue("ci", "build pipeline");
        String token = issued.secret();
        assertTrue(token.matches("jct_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), token);
        assertFalse(issued.toString().contains(token));
        assertEquals(new Caller("ci", Role.VIEWER, "https/127.0.0.1:9"), p.loginWithToken(token, "https/127.0.0.1:9").orElseThrow());

        String text = Files.readString(dir.resolve("etc/users.properties"));
        assertFalse(text.contains(token.substring(17)), "the secret part is not stored");
        assertTrue(text.contains("token." + issued.token().id() + ".ci="), text);
        assertEquals("build pipeline", p.tokens().get(0).label());

        // the role is the user's as it is at each call, and a restart (a new policy on the file) keeps the token
        p.setRole("ci", Role.OPERATOR);
        assertEquals(Role.OPERATOR, policy().loginWithToken(token, "https/127.0.0.1:9").orElseThrow().role());

        // a changed character, another form, another id: refused
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertTrue(p.loginWithToken(wrong, "https/127.0.0.1:9").isEmpty());
        assertTrue(p.loginWithToken("Bearer " + token, "https/127.0.0.1:9").isEmpty());
        assertTrue(p.loginWithToken("jct_000000000000" + token.substring(16), "https/127.0.0.1:9").isEmpty());
        assertTrue(p.loginWithToken(null, "https/127.0.0.1:9").isEmpty());

        p.revoke(issued.token().id());
        assertTrue(p.loginWithToken(token, "https/127.0.0.1:9").isEmpty());
        assertTrue(p.tokens().isEmpty());
        assertThrows(NotFoundException.class, () -> p.revoke(issued.token().id()));
    }

    @Test
    void tokensGoWithTheirUserAndBadInputIssuesNone() throws Exception {
        FileAccessPolicy p = policy();
        p.add("ci", Role.ADMIN, secret("pw"));
        String token = p.issue("ci", "").secret();
        assertThrows(NotFoundException.class, () -> p.issue("nobody", "x"));
        assertThrows(InvalidInputException.class, () -> p.issue("ci", "two\nlines"));
        assertThrows(InvalidInputException.class, () -> p.issue("ci", "x".repeat(65)));
        assertEquals(1, p.tokens().size());
        p.remove("ci");
        assertTrue(p.loginWithToken(token, "https/127.0.0.1:9").isEmpty());
        assertTrue(p.tokens().isEmpty());
    }

    @Test
    void auditElidesSecrets() {
        LogAuditTrail audit = new LogAuditTrail();
        assertEquals("ems:credential sc1 --password *** --user bob", audit.elideSecrets("ems:credential sc1 --password hunter2 --user bob"));
        assertEquals("x --secret=***", audit.elideSecrets("x --secret=abc"));
        assertEquals("x --secret '***'".replace("'***'", "***"), audit.elideSecrets("x --secret 'a b'"));
        assertEquals("x token=***", audit.elideSecrets("x token=s3cr3t"));
        assertEquals("ems:credential sc1 --secret-file /tmp/pw", audit.elideSecrets("ems:credential sc1 --secret-file /tmp/pw"));
        assertEquals("ems:list", audit.elideSecrets("ems:list"));
    }

    private static String opensshKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        ECPublicKey key = (ECPublicKey) g.generateKeyPair().getPublic();
        byte[] x = unsigned(key.getW().getAffineX().toByteArray());
        byte[] y = unsigned(key.getW().getAffineY().toByteArray());
        byte[] point = new byte[65];
        point[0] = 4;
        System.arraycopy(x, 0, point, 1 + 32 - x.length, x.length);
        System.arraycopy(y, 0, point, 33 + 32 - y.length, y.length);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream data = new java.io.DataOutputStream(out);
        for (byte[] part : new byte[][] {"ecdsa-sha2-nistp256".getBytes(), "nistp256".getBytes(), point}) {
            data.writeInt(part.length);
            data.write(part);
        }
        return "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 32 ? java.util.Arrays.copyOfRange(b, b.length - 32, b.length) : b;
    }
}
