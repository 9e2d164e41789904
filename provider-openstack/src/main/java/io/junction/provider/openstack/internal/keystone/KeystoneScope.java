package io.junction.provider.openstack.internal.keystone;

import io.junction.api.Connection;
import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the identity connection's path says about the Keystone API and the token's scope:
 * {@code /v3?project=demo&project_domain=Default&user_domain=Default}. The part before {@code ?}
 * is Keystone's v3 base ({@code /v3} when empty; {@code /v3} is appended when missing). The query
 * (percent-encoded, so {@code %20} for a blank) names the project the token is scoped to —
 * {@code project} (name) or {@code project_id} — and the domains of the project and of the user —
 * {@code project_domain} / {@code project_domain_id} and {@code user_domain} / {@code user_domain_id},
 * by name {@code Default} when not given.
 *
 * @param basePath          the v3 base path, e.g. {@code /v3} or {@code /identity/v3}
 * @param project           project name, or {@code null} when given by id
 * @param projectId         project id, or {@code null}
 * @param projectDomain     project domain name, or {@code null} when given by id
 * @param projectDomainId   project domain id, or {@code null}
 * @param userDomain        user domain name, or {@code null} when given by id
 * @param userDomainId      user domain id, or {@code null}
 */
public record KeystoneScope(String basePath, String project, String projectId, String projectDomain, String projectDomainId,
                            String userDomain, String userDomainId) {
    public static final String DEFAULT_DOMAIN = "Default";
    private static final Set<String> KEYS = Set.of("project", "project_id", "project_domain", "project_domain_id",
            "user_domain", "user_domain_id");

    /** Reads the scope from an identity connection's path. */
    public static KeystoneScope of(Connection identity) {
        return parse(identity.path());
    }

    /**
     * Reads the scope from a path with query.
     *
     * @throws InvalidInputException when the query names no project, or names an unknown key
     */
    public static KeystoneScope parse(String path) {
        String p = path == null ? "" : path;
        int q = p.indexOf('?');
        String base = q >= 0 ? p.substring(0, q) : p;
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : p.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
                if (!KEYS.contains(key)) {
                    throw new InvalidInputException("unknown key " + ShownText.quote(key) + " in the identity connection's path; keys: "
                            + "project, project_id, project_domain, project_domain_id, user_domain, user_domain_id");
                }
                if (!value.isBlank()) {
                    params.put(key, value.strip());
                }
            }
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (!base.endsWith("/v3")) {
            base = base + "/v3";
        }
        String project = params.get("project");
        String projectId = params.get("project_id");
        if (project == null && projectId == null) {
            throw new InvalidInputException("the identity connection's path names no project: give it as "
                    + "'/v3?project=<name>' (optionally '&project_domain=<domain>&user_domain=<domain>', blanks as %20)");
        }
        String projectDomainId = params.get("project_domain_id");
        String projectDomain = params.getOrDefault("project_domain", projectDomainId == null ? DEFAULT_DOMAIN : null);
        String userDomainId = params.get("user_domain_id");
        String userDomain = params.getOrDefault("user_domain", userDomainId == null ? DEFAULT_DOMAIN : null);
        return new KeystoneScope(base, project, projectId, projectDomain, projectDomainId, userDomain, userDomainId);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("malformed percent-encoding in the identity connection's path: " + ShownText.quote(s));
        }
    }

    /** The project as people read it, e.g. {@code demo@Default}. */
    public String describeProject() {
        return (project != null ? project : "id " + projectId) + "@" + (projectDomain != null ? projectDomain : "id " + projectDomainId);
    }
}
