package io.junction.api.service;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A live, authenticated handle made by a service for one connection of one EMS. The platform
 * pools it, uses it from several threads at once, and closes it when its connection, credential
 * or service goes away.
 */
@ConsumerType
public interface ServiceHandle extends AutoCloseable {

    /**
     * Makes a cheap authenticated call to prove the connection and credential work.
     *
     * @throws io.junction.api.UnreachableException    the server cannot be reached
     * @throws io.junction.api.AuthenticationException the credential is refused
     * @throws io.junction.api.TlsTrustException      the server's certificate is not trusted
     */
    void verify();

    /** The capability, if this handle offers it. */
    <C extends Capability> Optional<C> capability(Class<C> type);

    /** Releases what the handle holds (sessions, sockets); never throws. */
    @Override
    void close();
}
