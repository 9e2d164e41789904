package io.junction.provider.openstack.internal.http;

/** Test access to package-private parts of the HTTP layer. */
public final class JsonHttpTestAccess {
    private JsonHttpTestAccess() {
    }

    public static String errorMessage(byte[] body) {
        return JsonHttp.errorMessage(body);
    }
}
