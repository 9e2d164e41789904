package io.junction.provider.openstack.internal.keystone;

import java.time.Instant;

/**
 * A Keystone token and what came with it. {@link #toString()} never shows the token.
 *
 * @param id        the token ({@code X-Subject-Token}), sent back as {@code X-Auth-Token}
 * @param expiresAt {@code token.expires_at}
 * @param issuedAt  {@code token.issued_at}, or the local time it was received
 * @param projectId the project it is scoped to, or {@code null}
 * @param catalog   the service catalog
 */
public record Token(String id, Instant expiresAt, Instant issuedAt, String projectId, Catalog catalog) {
    @Override
    public String toString() {
        return "Token[project=" + projectId + ", expiresAt=" + expiresAt + "]";
    }
}
