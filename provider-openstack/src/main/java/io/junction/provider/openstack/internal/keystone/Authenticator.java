package io.junction.provider.openstack.internal.keystone;

import java.time.Instant;

/** Issues tokens for an account: Keystone, or a stand-in in tests. */
public interface Authenticator {
    Token authenticate(String user, char[] password, Instant now);

    /** {@code host:port} of the identity server, for messages. */
    String address();
}
