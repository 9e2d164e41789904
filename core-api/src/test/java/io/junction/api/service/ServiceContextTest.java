package io.junction.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.Connection;
import io.junction.api.Ems;
import io.junction.api.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceContextTest {
    private static final Ems EMS = new Ems(1, "os1", "openstack", Instant.EPOCH);

    private static Connection connection(long id, String role, boolean defaultForRole) {
        return new Connection(id, 1, role, "h" + id + ".example", 443, "https", "", true, null, defaultForRole, false);
    }

    @Test
    void namesTheEmsDefaultConnectionOfARole() {
        Connection oldIdentity = connection(1, "identity", false);
        Connection identity = connection(3, "identity", true);
        Connection compute = connection(2, "compute", true);
        ServiceContext context = new ServiceContext(EMS, compute, List.of(oldIdentity, compute, identity), null,
                () -> Secret.of("s".toCharArray()), Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals(Optional.of(identity), context.connection("identity"));
        assertEquals(Optional.of(compute), context.connection("compute"));
        assertEquals(Optional.empty(), context.connection("amqp"));
        assertEquals(compute, context.connection(), "the handle's own connection stays what it was");
        assertThrows(IllegalStateException.class, context::readSecret, "no credential, no secret");
    }

    @Test
    void withoutTheEmsConnectionsOnlyTheHandlesOwnIsKnown() {
        Connection compute = connection(2, "compute", true);
        ServiceContext context = new ServiceContext(EMS, compute, null, () -> Secret.of("s".toCharArray()), Clock.systemUTC(),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals(Optional.of(compute), context.connection("compute"));
        assertEquals(Optional.empty(), context.connection("identity"));
    }

    @Test
    void theOldestConnectionOfARoleServesWhenNoneIsDefault() {
        assertEquals(Optional.of(connection(4, "scom", false)),
                Connection.forRole(List.of(connection(7, "scom", false), connection(4, "scom", false), connection(1, "scvmm", true)), "scom"));
    }
}
