package io.junction.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
    @Test
    void aDeclarationSaysMethodPathRoleBodyAndQuery() {
        Route r = Route.parse("get /api/v1/ems/{ems}/vms viewer ?filter,state,limit,cursor");
        assertEquals("GET", r.method());
        assertEquals(Role.VIEWER, r.role());
        assertNull(r.body());
        assertEquals(List.of("filter", "state", "limit", "cursor"), r.query());
        assertEquals(List.of("ems"), r.parameters());
        Route body = Route.parse("PATCH /api/v1/ems/{ems}/connections/{connection} admin ConnectionBody");
        assertEquals("ConnectionBody", body.body());
        assertEquals(List.of("ems", "connection"), body.parameters());
        assertNull(Route.parse("GET /health/live public").role());
        assertThrows(IllegalArgumentException.class, () -> Route.parse("GET /x"));
        assertThrows(RuntimeException.class, () -> Route.parse("GET /x superuser"));
    }

    @Test
    void aPathMatchesSegmentBySegment() {
        Route r = Route.parse("POST /api/v1/ems/{ems}/vms/{vm}/power operator PowerBody");
        assertTrue(r.matches(Route.segments("/api/v1/ems/sc1/vms/web01/power")));
        assertFalse(r.matches(Route.segments("/api/v1/ems/sc1/vms/web01")));
        assertFalse(r.matches(Route.segments("/api/v1/ems/sc1/vms/web01/power/x")));
        assertFalse(r.matches(Route.segments("/api/v1/emz/sc1/vms/web01/power")));
    }

    @Test
    void routesComeFromOneOrManyPropertyValues() {
        assertEquals(1, Route.of(Map.of(Route.PROPERTY, "GET /a viewer")).size());
        assertEquals(2, Route.of(Map.of(Route.PROPERTY, new String[] {"GET /a viewer", "POST /a admin"})).size());
        assertEquals(0, Route.of(Map.of()).size());
    }
}
