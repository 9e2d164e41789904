package io.junction.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored credential, without its secret. It always belongs to an EMS; it may belong to one
 * of that EMS's connections (SCOM's user is not SCVMM's user), or to the EMS as a whole
 * (a key pair handed to instances).
 *
 * @param id           store-assigned identifier
 * @param emsId        the EMS it belongs to
 * @param connectionId the connection it authenticates on, or {@code null} for an EMS-level credential
 * @param kind         what the secret is
 * @param user         the principal, possibly empty
 * @param status       outcome of the last check ({@code ok}, {@code auth-failed}, ...), or {@code null} if never checked
 * @param checkedAt    when it was last checked, or {@code null}
 * @param statusDetail details of the last check, or {@code null}
 * @param updated      when the secret was last set
 */
public record Credential(long id, long emsId, Long connectionId, CredentialKind kind, String user,
                         String status, Instant checkedAt, String statusDetail, Instant updated) {
    public Credential {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(updated, "updated");
    }

    /** Whether it belongs to the EMS as a whole rather than to one connection. */
    public boolean emsLevel() {
        return connectionId == null;
    }
}
