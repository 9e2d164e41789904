package io.junction.provider.openstack.internal.nova;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.api.AuthenticationException;
import io.junction.api.ProviderException;
import io.junction.provider.openstack.internal.http.JsonHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A hypervisor's CPUs and memory from the Placement API, where Nova points for them from compute
 * microversion 2.88 on: the hypervisor's resource provider (its uuid is the hypervisor id from
 * 2.53; else found by the hypervisor's host name), then that provider's {@code VCPU} and
 * {@code MEMORY_MB} inventories ({@code total}).
 */
final class PlacementCapacity {
    /** Placement's microversion: resource providers by name and their inventories are in 1.0. */
    static final String MICROVERSION = "placement 1.0";
    private static final Pattern UUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** What a host has, as placement counts it. */
    record Capacity(int vcpus, long memoryMb) {
    }

    private final CloudClient cloud;
    private final String base;

    /** @param placement Placement's endpoint from the token's catalog */
    PlacementCapacity(CloudClient cloud, URI placement) {
        this.cloud = cloud;
        this.base = placement.toString().replaceAll("/+$", "");
    }

    Capacity of(String hypervisorId, String hostname) {
        String provider = hypervisorId != null && UUID.matcher(hypervisorId).matches() ? hypervisorId : providerNamed(hostname);
        HttpResponse<InputStream> r = cloud.get(URI.create(base + "/resource_providers/" + provider + "/inventories"),
                "Placement", MICROVERSION);
        check(r, "reading the inventories of hypervisor " + hostname);
        JsonNode inventories = JsonHttp.readTree(r, "Placement").path("inventories");
        return new Capacity(inventories.path("VCPU").path("total").asInt(0), inventories.path("MEMORY_MB").path("total").asLong(0));
    }

    private String providerNamed(String hostname) {
        HttpResponse<InputStream> r = cloud.get(URI.create(base + "/resource_providers?name="
                + URLEncoder.encode(hostname, StandardCharsets.UTF_8)), "Placement", MICROVERSION);
        check(r, "finding the resource provider of hypervisor " + hostname);
        JsonNode providers = JsonHttp.readTree(r, "Placement").path("resource_providers");
        if (providers.size() != 1 || !providers.get(0).path("uuid").isTextual()) {
            throw new ProviderException("Placement at " + r.uri().getHost() + ":" + r.uri().getPort() + " has "
                    + (providers.size() == 0 ? "no resource provider" : providers.size() + " resource providers")
                    + " named '" + hostname + "': cannot read that hypervisor's CPUs and memory");
        }
        return providers.get(0).get("uuid").asText();
    }

    private static void check(HttpResponse<InputStream> r, String doing) {
        int status = r.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String m = JsonHttp.errorMessage(r);
        String where = "Placement at " + r.uri().getHost() + ":" + r.uri().getPort();
        if (status == 403) {
            throw new AuthenticationException(where + " does not let this account do " + doing + " (HTTP 403"
                    + (m.isEmpty() ? "" : ": " + m) + "); from compute microversion 2.88 Nova reports host capacity only"
                    + " through Placement: allow the account there, or set computeMicroversion below 2.88");
        }
        throw new ProviderException(where + ": " + doing + " failed with HTTP " + status + (m.isEmpty() ? "" : ": " + m));
    }
}
