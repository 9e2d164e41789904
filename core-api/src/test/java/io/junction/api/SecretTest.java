package io.junction.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void neverShowsItself() {
        Secret s = Secret.of("hunter2".toCharArray());
        CredentialSpec spec = new CredentialSpec(CredentialKind.PASSWORD, "alice", s);
        assertEquals(Secret.MASK, s.toString());
        assertFalse(spec.toString().contains("hunter2"), spec.toString());
        assertNotEquals(s, Secret.of("hunter2".toCharArray()));
    }

    @Test
    void copiesInAndOutAndWipesOnClose() {
        char[] typed = "hunter2".toCharArray();
        Secret s = Secret.of(typed);
        typed[0] = 'X';
        assertArrayEquals("hunter2".toCharArray(), s.reveal());
        s.close();
        assertThrows(IllegalStateException.class, s::reveal);
    }

    @Test
    void emptySecretIsMissing() {
        assertEquals("secret must not be empty",
                assertThrows(InvalidInputException.class, () -> Secret.of(new char[0])).getMessage());
        assertEquals("missing secret",
                assertThrows(InvalidInputException.class, () -> new CredentialSpec(CredentialKind.TOKEN, "", null)).getMessage());
    }

    @Test
    void credentialKindsByLabel() {
        assertEquals(CredentialKind.KEY_PAIR, CredentialKind.fromLabel("key-pair"));
        assertEquals(CredentialKind.KEY_PAIR, CredentialKind.fromLabel("keypair"));
        assertEquals("unknown credential kind 'magic'; kinds: password, token, key-pair, certificate",
                assertThrows(InvalidInputException.class, () -> CredentialKind.fromLabel("magic")).getMessage());
    }

    @Test
    void emsNames() {
        assertEquals("sc1", Ems.checkName("sc1"));
        assertThrows(InvalidInputException.class, () -> Ems.checkName("123"));
        assertThrows(InvalidInputException.class, () -> Ems.checkName(" a"));
        assertThrows(InvalidInputException.class, () -> Ems.checkName("a\tb"));
        assertThrows(InvalidInputException.class, () -> Ems.checkName("x".repeat(65)));
    }

    @Test
    void errorsReadAsMessagesInTheConsole() {
        assertEquals("error: no EMS with id or name 'x'", new NotFoundException("no EMS with id or name 'x'").toString());
    }
}
