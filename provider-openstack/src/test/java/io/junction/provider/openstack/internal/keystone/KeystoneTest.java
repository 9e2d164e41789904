package io.junction.provider.openstack.internal.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.InvalidInputException;
import io.junction.provider.openstack.internal.OpenStackProviderType;
import io.junction.provider.openstack.internal.OpenStackSettings;
import io.junction.provider.openstack.internal.Samples;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeystoneTest {
    private static final Connection IDENTITY = new Connection(1, 1, "identity", "keystone.example.com", 5000, "https",
            "/v3?project=demo", true, null, true, false);

    private static Token sampleToken() throws Exception {
        JsonNode answer = JsonHttp.JSON.readTree(Samples.bytes("keystone-token.json"));
        return KeystoneClient.token("gAAAAABsecret", answer, Instant.parse("2026-11-25T08:30:00Z"));
    }

    @Test
    void scopeFromThePath() {
        KeystoneScope s = KeystoneScope.parse("/v3?project=demo");
        assertEquals("/v3", s.basePath());
        assertEquals("demo", s.project());
        assertEquals("Default", s.projectDomain());
        assertEquals("Default", s.userDomain());

        KeystoneScope t = KeystoneScope.parse("/identity?project=Web%20Team&project_domain=Corp&user_domain_id=abc123");
        assertEquals("/identity/v3", t.basePath());
        assertEquals("Web Team", t.project());
        assertEquals("Corp", t.projectDomain());
        assertNull(t.userDomain());
        assertEquals("abc123", t.userDomainId());

        assertEquals("/v3", KeystoneScope.parse("?project_id=a6944d").basePath());
        assertThrows(InvalidInputException.class, () -> KeystoneScope.parse("/v3"));
        assertThrows(InvalidInputException.class, () -> KeystoneScope.parse("/v3?project=x&tenant=y"));
    }

    @Test
    void requestBodyIsScopedToTheProject() {
        String body = KeystoneClient.requestBody(KeystoneScope.parse("/v3?project=demo&user_domain=Users"), "alice",
                "pw".toCharArray()).toString();
        assertEquals("{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"alice\","
                + "\"domain\":{\"name\":\"Users\"},\"password\":\"pw\"}}},\"scope\":{\"project\":{\"name\":\"demo\","
                + "\"domain\":{\"name\":\"Default\"}}}}}", body);
    }

    @Test
    void tokenAnswerIsRead() throws Exception {
        Token token = sampleToken();
        assertEquals(Instant.parse("2026-11-25T09:30:00Z"), token.expiresAt());
        assertEquals("a6944d763bf64ee6a275f1263fae0352", token.projectId());
        assertTrue(!token.toString().contains("secret"));
        assertEquals(3, token.catalog().services().size());
    }

    @Test
    void discoveryFollowsInterfaceAndRegion() throws Exception {
        Catalog catalog = sampleToken().catalog();
        List<ConnectionSpec> found = KeystoneHandle.discover(catalog, OpenStackProviderType.ROLES, OpenStackSettings.DEFAULTS, IDENTITY);
        assertEquals(1, found.size(), "only roles the type knows: compute");
        ConnectionSpec compute = found.get(0);
        assertEquals("compute", compute.role());
        assertEquals("nova.example.com", compute.host());
        assertEquals(8774, compute.port());
        assertEquals("https", compute.scheme());
        assertEquals("/v2.1", compute.path());
        assertTrue(compute.discovered());
        assertTrue(compute.verifyTls());

        var internal = new OpenStackSettings("internal", null, "2.60", 500, "nova", "versioned_notifications", 200);
        ConnectionSpec i = KeystoneHandle.discover(catalog, OpenStackProviderType.ROLES, internal, IDENTITY).get(0);
        assertEquals("10.0.0.5", i.host());
        assertEquals("http", i.scheme());

        var two = new OpenStackSettings("public", "RegionTwo", "2.60", 500, "nova", "versioned_notifications", 200);
        ConnectionSpec r2 = KeystoneHandle.discover(catalog, OpenStackProviderType.ROLES, two, IDENTITY).get(0);
        assertEquals("nova.two.example.com", r2.host());
        assertEquals(443, r2.port());
        assertEquals("/compute/v2.1", r2.path());

        var none = new OpenStackSettings("public", "RegionNine", "2.60", 500, "nova", "versioned_notifications", 200);
        assertTrue(KeystoneHandle.discover(catalog, OpenStackProviderType.ROLES, none, IDENTITY).isEmpty());
        assertEquals(List.of("RegionOne", "RegionTwo"), catalog.regions("compute"));
    }

    /** Issues tokens living ten minutes from "now", counting them. */
    private static final class CountingKeystone implements Authenticator {
        final List<Instant> issued = new ArrayList<>();

        @Override
        public Token authenticate(String user, char[] password, Instant now) {
            issued.add(now);
            return new Token("t" + issued.size(), now.plus(Duration.ofMinutes(10)), now, "p", new Catalog(List.of()));
        }

        @Override
        public String address() {
            return "keystone:5000";
        }
    }

    @Test
    void tokenIsRenewedBeforeItExpiresAndAfterA401() {
        CountingKeystone keystone = new CountingKeystone();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
        try (TokenSession session = new TokenSession(keystone, "admin", "pw".toCharArray(), clock)) {
            Token first = session.token();
            clock.now = clock.now.plus(Duration.ofMinutes(8));
            assertSame(first, session.token(), "still two minutes to live");
            clock.now = clock.now.plus(Duration.ofSeconds(61));
            Token second = session.token();
            assertNotSame(first, second, "renewed within the last minute");
            session.invalidate(first);
            assertSame(second, session.token(), "forgetting an old token leaves the current one");
            session.invalidate(second);
            assertEquals("t3", session.token().id());
            assertEquals(3, keystone.issued.size());
        }
    }

    @Test
    void shortLivedTokenIsRenewedHalfway() {
        Token t = new Token("x", Instant.parse("2026-11-25T08:01:00Z"), Instant.parse("2026-11-25T08:00:00Z"), null, new Catalog(List.of()));
        assertEquals(Instant.parse("2026-11-25T08:00:30Z"), TokenSession.renewAt(t));
    }

    @Test
    void keystoneTimesAreRead() {
        assertEquals(Instant.parse("2026-11-25T09:30:00Z"), KeystoneClient.instant("2026-11-25T09:30:00.000000Z"));
        assertEquals(Instant.parse("2026-11-25T09:30:00Z"), KeystoneClient.instant("2026-11-25T09:30:00"));
        assertNull(KeystoneClient.instant("soon"));
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
