package io.junction.provider.openstack.internal.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.ConnectionSpec;
import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The service catalog of a Keystone v3 token: each service's type and its endpoints. */
public record Catalog(List<Service> services) {

    public record Service(String type, String name, List<EndpointEntry> endpoints) {
    }

    /** One endpoint: {@code interface} is {@code public}, {@code internal} or {@code admin}. */
    public record EndpointEntry(String iface, String region, String url) {
    }

    public Catalog {
        services = List.copyOf(services);
    }

    /** Reads {@code token.catalog} of a token answer. */
    public static Catalog of(JsonNode catalog) {
        List<Service> services = new ArrayList<>();
        for (JsonNode s : catalog) {
            List<EndpointEntry> endpoints = new ArrayList<>();
            for (JsonNode e : s.path("endpoints")) {
                String region = e.hasNonNull("region_id") ? e.get("region_id").asText() : e.path("region").asText(null);
                endpoints.add(new EndpointEntry(e.path("interface").asText(""), region, e.path("url").asText("")));
            }
            services.add(new Service(s.path("type").asText(""), s.path("name").asText(""), endpoints));
        }
        return new Catalog(services);
    }

    /**
     * The URL of the first endpoint of a service type with that interface and, when a region is
     * given, that region (matched against {@code region_id}, else {@code region}).
     */
    public Optional<URI> endpoint(String type, String iface, String region) {
        for (Service s : services) {
            if (!s.type().equals(type)) {
                continue;
            }
            for (EndpointEntry e : s.endpoints()) {
                if (e.iface().equals(iface) && (region == null || region.isBlank() || region.equals(e.region()))
                        && !e.url().isBlank()) {
                    return Optional.of(URI.create(e.url().strip()));
                }
            }
        }
        return Optional.empty();
    }

    /** The regions the catalog names for a service type, for messages. */
    public List<String> regions(String type) {
        return services.stream().filter(s -> s.type().equals(type)).flatMap(s -> s.endpoints().stream())
                .map(EndpointEntry::region).filter(r -> r != null).distinct().sorted().toList();
    }

    /**
     * A discovered connection for an endpoint URL: host, port (the scheme's default when the URL
     * has none), scheme and path; TLS settings as given.
     */
    public static ConnectionSpec connectionSpec(String role, URI url, boolean verifyTls, String caCertificate) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme == null || url.getHost() == null) {
            throw new InvalidInputException("catalog endpoint " + ShownText.quote(url) + " for " + role + " has no scheme or host");
        }
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new ConnectionSpec(role, url.getHost(), port, scheme, path.isEmpty() ? null : path, verifyTls, caCertificate,
                true, true);
    }

    static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("malformed catalog URL " + ShownText.quote(text));
        }
    }
}
