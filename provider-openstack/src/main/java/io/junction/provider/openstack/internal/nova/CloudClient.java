package io.junction.provider.openstack.internal.nova;

import io.junction.api.AuthenticationException;
import io.junction.provider.openstack.internal.http.JsonHttp;
import io.junction.provider.openstack.internal.keystone.Token;
import io.junction.provider.openstack.internal.keystone.TokenSession;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Authenticated calls to the services of one cloud (Nova, Glance): sends the session's token,
 * and on a 401 forgets it, authenticates again and retries once.
 */
public final class CloudClient implements AutoCloseable {
    private final JsonHttp http;
    private final TokenSession session;
    private final String computeMicroversion;

    public CloudClient(JsonHttp http, TokenSession session, String computeMicroversion) {
        this.http = http;
        this.session = session;
        this.computeMicroversion = computeMicroversion;
    }

    public TokenSession session() {
        return session;
    }

    public JsonHttp http() {
        return http;
    }

    public HttpResponse<InputStream> get(URI uri, String what) {
        return send(uri, null, what, null);
    }

    /**
     * GETs from a service with its own microversion, e.g. {@code placement 1.0}: the header then
     * names that service instead of Nova.
     */
    public HttpResponse<InputStream> get(URI uri, String what, String serviceMicroversion) {
        return send(uri, null, what, serviceMicroversion);
    }

    /** POSTs a JSON body. */
    public HttpResponse<InputStream> post(URI uri, String json, String what) {
        return send(uri, json, what, null);
    }

    private HttpResponse<InputStream> send(URI uri, String json, String what, String serviceMicroversion) {
        for (int attempt = 0; ; attempt++) {
            Token token = session.token();
            HttpRequest.Builder b = http.request(uri).header("X-Auth-Token", token.id());
            if (serviceMicroversion == null) {
                b.header("OpenStack-API-Version", "compute " + computeMicroversion)
                        .header("X-OpenStack-Nova-API-Version", computeMicroversion);
            } else {
                b.header("OpenStack-API-Version", serviceMicroversion);
            }
            if (json == null) {
                b.GET();
            } else {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            }
            HttpResponse<InputStream> response = http.send(b.build(), what);
            if (response.statusCode() != 401) {
                return response;
            }
            String m = JsonHttp.errorMessage(response);
            session.invalidate(token);
            if (attempt > 0) {
                throw new AuthenticationException(what + " at " + uri.getHost() + ":" + uri.getPort()
                        + " refused a fresh Keystone token (HTTP 401" + (m.isEmpty() ? "" : ": " + m) + ")");
            }
        }
    }

    @Override
    public void close() {
        session.close();
        http.close();
    }
}
