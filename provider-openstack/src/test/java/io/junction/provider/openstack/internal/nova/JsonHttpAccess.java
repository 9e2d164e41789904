package io.junction.provider.openstack.internal.nova;

import java.nio.charset.StandardCharsets;

/** Reaches JsonHttp's error-message reading from this package's tests. */
final class JsonHttpAccess {
    private JsonHttpAccess() {
    }

    static String message(String body) {
        return io.junction.provider.openstack.internal.http.JsonHttpTestAccess.errorMessage(body.getBytes(StandardCharsets.UTF_8));
    }
}
