package io.junction.api.security;

import java.util.Optional;

/**
 * Authenticates callers against the users Junction knows, and decides what they may do. Every door
 * asks this one service; none keeps its own user list. Failed logins are logged and slowed down
 * by the policy itself, so a door need not.
 */
public interface AccessPolicy {

    /** The caller for a correct password, empty otherwise (after a delay that grows with repeated failures). */
    Optional<Caller> loginWithPassword(String user, char[] password, String origin);

    /**
     * The caller when {@code publicKey} (OpenSSH form: {@code <type> <base64>}, comment ignored) is
     * one of the user's authorized keys, empty otherwise.
     */
    Optional<Caller> loginWithKey(String user, String publicKey, String origin);

    /**
     * The caller for an API token issued by {@link ApiTokens} (the whole token as the client sends it
     * after {@code Bearer}), empty otherwise (after a delay that grows with repeated failures). The
     * caller has the token's user's role as it is now.
     */
    Optional<Caller> loginWithToken(String token, String origin);

    /** Throws {@link AccessDeniedException} naming the required role unless the caller has it. */
    default void require(Caller caller, Role required, String action) {
        if (!caller.role().includes(required)) {
            throw new AccessDeniedException(action, required);
        }
    }

    /** Whether any user could log in remotely (there is no default account: until one exists, nobody can). */
    boolean hasUsers();
}
