package io.junction.provider.openstack.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.junction.api.ProviderException;
import io.junction.api.UnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The JDK HTTP client set up for the servers of one OpenStack cloud: TLS as the connection says,
 * no redirects, JSON in and out. Thread-safe.
 */
public final class JsonHttp implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Largest error or small answer read into memory. */
    private static final int MAX_SMALL_ANSWER = 16 * 1024 * 1024;

    private final Endpoint endpoint;
    private final HttpClient client;

    public JsonHttp(Endpoint endpoint) {
        this.endpoint = endpoint;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(endpoint.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if ("https".equals(endpoint.base().getScheme())) {
            builder.sslContext(Tls.context(endpoint.verifyTls(), endpoint.caCertificatePem(), endpoint.address()));
        }
        this.client = builder.build();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** A request to the URI with the operation timeout and JSON accepted. */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(endpoint.operationTimeout()).header("Accept", "application/json");
    }

    /** Sends and returns the answer with its body as a stream the caller closes. */
    public HttpResponse<InputStream> send(HttpRequest request, String what) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw HttpFailures.of(e, endpoint.withBase(baseOf(request.uri())), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for " + what + " at " + endpoint.address());
        }
    }

    private static URI baseOf(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /** A JSON body for a POST. */
    public static HttpRequest.BodyPublisher body(JsonNode json) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a whole (small) JSON answer. */
    public static JsonNode readTree(HttpResponse<InputStream> response, String what) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_SMALL_ANSWER + 1);
            if (bytes.length > MAX_SMALL_ANSWER) {
                throw new ProviderException(what + " answered more than " + MAX_SMALL_ANSWER + " bytes");
            }
            return bytes.length == 0 ? JSON.missingNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ProviderException(what + " answered with unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Reads and drops the answer (so the connection can be reused). */
    public static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.skip(Long.MAX_VALUE);
        } catch (IOException ignored) {
            // the connection is dropped instead
        }
    }

    /**
     * The message of an OpenStack error answer: {@code {"conflictingRequest": {"message": …, "code": 409}}}
     * (Nova), {@code {"error": {"message": …}}} (Keystone), or the body's start.
     */
    public static String errorMessage(HttpResponse<InputStream> response) {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return "";
        }
        return errorMessage(bytes);
    }

    static String errorMessage(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            if (tree != null && tree.isObject()) {
                if (tree.path("message").isTextual()) {
                    return tree.get("message").asText();
                }
                // Placement: {"errors": [{"status", "title", "detail", ...}]}
                if (tree.path("errors").path(0).path("detail").isTextual()) {
                    return tree.path("errors").path(0).path("detail").asText().strip().replaceAll("\\s+", " ");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                    JsonNode inner = it.next().getValue();
                    if (inner.path("message").isTextual()) {
                        return inner.get("message").asText();
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: use the text
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    @Override
    public void close() {
        // HttpClient closes with Java 21 only; its connections go when it is collected
    }
}
