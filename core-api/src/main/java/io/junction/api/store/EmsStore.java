package io.junction.api.store;

import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.NotFoundException;
import io.junction.api.Secret;
import io.junction.api.ShownText;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The stored EMSs with their connections and credentials. Every change is checked and is
 * all-or-nothing: a refused change leaves the store as it was and throws a
 * {@link io.junction.api.JunctionException} with a one-line reason.
 */
@ProviderType
public interface EmsStore {

    /**
     * Adds an EMS.
     *
     * @throws io.junction.api.InvalidInputException for an unknown provider type or a bad name
     * @throws io.junction.api.ConflictException     when the name is taken
     */
    Ems createEms(String type, String name);

    /** Renames an EMS; the new name must be free. */
    Ems renameEms(long emsId, String newName);

    /** Removes an EMS with its connections and credentials. */
    void removeEms(long emsId);

    /** All EMSs, by name. */
    List<Ems> listEms();

    Optional<Ems> findEms(long emsId);

    Optional<Ems> findEmsByName(String name);

    /**
     * The EMS named by an id or a name, as the operator types it.
     *
     * @throws NotFoundException when there is none
     */
    default Ems requireEms(String idOrName) {
        String ref = idOrName == null ? "" : idOrName.strip();
        Optional<Ems> found = ref.matches("[0-9]{1,18}") ? findEms(Long.parseLong(ref))
                : ref.length() > Ems.MAX_NAME_LENGTH ? Optional.empty() : findEmsByName(ref);
        return found.orElseThrow(() -> new NotFoundException("no EMS with id or name " + ShownText.quote(idOrName) + " (see ems:list)"));
    }

    /**
     * Adds a connection to an EMS. The role must be one of the EMS's provider type; missing port
     * and scheme take the role's defaults. The connections of a role are ordered by priority, from 1
     * without gaps; the one at 1 is the role's default. The new connection takes the spec's priority
     * (the others from there move one down), else first when the spec asks for the default, else last.
     *
     * @throws io.junction.api.ConflictException when the EMS already has that (role, host, port)
     */
    Connection addConnection(long emsId, ConnectionSpec spec);

    /** Replaces a connection's settings; its credential stays. */
    Connection updateConnection(long connectionId, ConnectionSpec spec);

    /**
     * Moves a connection to another place among the connections of its role: 1 makes it the role's
     * default; a place past the last means last. The others keep their order.
     *
     * @throws io.junction.api.InvalidInputException when the priority is not from 1 to
     *                                               {@link ConnectionSpec#MAX_PRIORITY}
     */
    Connection setPriority(long connectionId, int priority);

    /** Removes a connection and the credential bound to it; the role's others close the gap. */
    void removeConnection(long connectionId);

    /** The EMS's connections, by role, then by priority (default first). */
    List<Connection> connections(long emsId);

    Optional<Connection> findConnection(long connectionId);

    /**
     * Sets the credential of one connection, or an EMS-level credential when
     * {@code connectionId} is {@code null}. A connection has at most one credential and an EMS
     * at most one EMS-level credential per (kind, user): setting it again replaces the secret.
     * The secret is stored encrypted; the spec's secret is left to the caller to wipe.
     */
    Credential setCredential(long emsId, Long connectionId, CredentialSpec spec);

    /** Removes a credential. */
    void removeCredential(long credentialId);

    /** The EMS's credentials, EMS-level ones last. */
    List<Credential> credentials(long emsId);

    /** The credential bound to a connection, if any. */
    Optional<Credential> credentialOf(long connectionId);

    /**
     * Records the outcome of checking a credential on its connection.
     *
     * @param status e.g. {@code ok}, {@code auth-failed}
     * @param detail the error's message, or empty
     */
    Credential recordCheck(long credentialId, String status, String detail);

    /**
     * Decrypts a credential's secret. The caller owns the returned secret and should close it
     * as soon as it has used it.
     */
    Secret revealSecret(long credentialId);
}
