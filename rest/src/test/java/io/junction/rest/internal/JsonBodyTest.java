package io.junction.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyTest {
    record Thing(String name, Integer port, Boolean verifyTls, String secret) {
    }

    private static String refused(String json) {
        ApiProblem p = assertThrows(ApiProblem.class, () -> JsonBody.parse(json.getBytes(StandardCharsets.UTF_8), Thing.class));
        assertEquals(400, p.status());
        assertFalse(p.getMessage().contains("\n"));
        return p.getMessage();
    }

    @Test
    void readsWhatFits() {
        assertEquals(new Thing("a", 5, true, null), JsonBody.parse("{\"name\":\"a\",\"port\":5,\"verifyTls\":true}".getBytes(StandardCharsets.UTF_8), Thing.class));
    }

    @Test
    void eachMistakeNamesItsFieldAndNeverEchoesAValue() {
        assertEquals("field 'name' has the wrong type: a string is expected", refused("{\"name\": 5}"));
        assertEquals("field 'port' has the wrong type: a whole number is expected", refused("{\"port\": \"8443\"}"));
        assertEquals("field 'port' has the wrong type: a whole number is expected", refused("{\"port\": 1.5}"));
        assertEquals("field 'verifyTls' has the wrong type: true or false is expected", refused("{\"verifyTls\": \"yes\"}"));
        assertEquals("field 'secret' has the wrong type: a string is expected", refused("{\"secret\": 123456789}"));
        assertEquals("unknown field 'colour'; known fields: name, port, secret, verifyTls", refused("{\"colour\": \"red\"}"));
        assertEquals("duplicate field 'name' at line 1, column 19", refused("{\"name\":\"a\",\"name\":\"b\"}"));
        assertEquals("malformed JSON at line 1, column 9", refused("{\"name\":"));
        assertEquals("the body must be a JSON object", refused("[1]"));
        assertEquals("a JSON object is required as the body", refused(""));
        String secret = refused("{\"secret\": [\"Hunter2-Secret\"]}");
        assertFalse(secret.contains("Hunter2"), secret);
    }
}
