package io.junction.provider.microsoft.internal.winrm;

import io.junction.api.AuthenticationException;
import io.junction.api.CredentialKind;
import io.junction.api.Secret;
import io.junction.api.service.ServiceContext;
import java.util.Arrays;

/** Opens a {@link WinRmClient} on a service context's connection with its credential. */
public final class WinRmClients {
    private WinRmClients() {
    }

    /**
     * Reads the context's secret (once) and makes a client with it.
     *
     * @throws AuthenticationException when the connection has no password credential
     */
    public static WinRmClient open(ServiceContext context) {
        var credential = context.credential();
        if (credential == null) {
            throw new AuthenticationException("connection " + context.connection().url()
                    + " has no credential; add one with ems:credential --role " + context.connection().role());
        }
        if (credential.kind() != CredentialKind.PASSWORD) {
            throw new AuthenticationException("WinRM needs a password credential, not a " + credential.kind().label());
        }
        char[] password;
        try (Secret secret = context.readSecret()) {
            password = secret.reveal();
        }
        try {
            return new WinRmClient(WinRmTarget.of(context), credential.user(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
