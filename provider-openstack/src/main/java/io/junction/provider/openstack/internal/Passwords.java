package io.junction.provider.openstack.internal;

import io.junction.api.AuthenticationException;
import io.junction.api.Credential;
import io.junction.api.CredentialKind;
import io.junction.api.Secret;
import io.junction.api.service.ServiceContext;

/** Reads the password credential of a service context (once). */
public final class Passwords {
    private Passwords() {
    }

    /**
     * The user and password of the context's credential; the caller wipes the password.
     *
     * @throws AuthenticationException when the connection has no password credential
     */
    public static UserPassword read(ServiceContext context) {
        Credential credential = context.credential();
        if (credential == null) {
            throw new AuthenticationException("connection " + context.connection().url()
                    + " has no credential; add one with ems:credential --role " + context.connection().role());
        }
        if (credential.kind() != CredentialKind.PASSWORD) {
            throw new AuthenticationException("the " + context.connection().role() + " connection needs a password credential, not a "
                    + credential.kind().label());
        }
        try (Secret secret = context.readSecret()) {
            return new UserPassword(credential.user(), secret.reveal());
        }
    }

    /** A user and its password; {@link #close()} wipes the password. */
    public record UserPassword(String user, char[] password) implements AutoCloseable {
        @Override
        public void close() {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
