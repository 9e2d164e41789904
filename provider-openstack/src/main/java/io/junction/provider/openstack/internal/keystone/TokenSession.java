package io.junction.provider.openstack.internal.keystone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A Keystone token kept fresh for one account: re-authenticates before {@code expires_at}
 * (one minute before, or halfway through a lifetime shorter than two minutes) and after the
 * server refused it ({@link #invalidate(Token)} on a 401). Keeps the password, as a
 * {@code char[]} wiped by {@link #close()}, because Keystone has no other way to renew.
 */
public final class TokenSession implements AutoCloseable {
    static final Duration MARGIN = Duration.ofMinutes(1);

    private final Authenticator keystone;
    private final String user;
    private final char[] password;
    private final Clock clock;
    private Token current;
    private boolean closed;

    /** @param password copied; the caller wipes its own */
    public TokenSession(Authenticator keystone, String user, char[] password, Clock clock) {
        this.keystone = keystone;
        this.user = user;
        this.password = password.clone();
        this.clock = clock;
    }

    public Authenticator keystone() {
        return keystone;
    }

    /** A token that is not about to expire, authenticating when there is none. */
    public synchronized Token token() {
        if (closed) {
            throw new IllegalStateException("the Keystone session is closed");
        }
        Instant now = clock.instant();
        if (current == null || !now.isBefore(renewAt(current))) {
            current = keystone.authenticate(user, password, now);
        }
        return current;
    }

    /** A new token, whatever the current one's expiry (verify, discovery). */
    public synchronized Token authenticate() {
        current = null;
        return token();
    }

    /** Forgets a token the server refused, so the next {@link #token()} authenticates again. */
    public synchronized void invalidate(Token refused) {
        if (current == refused) {
            current = null;
        }
    }

    /** When a token is renewed: a minute before it expires, or halfway when it lives less than two minutes. */
    static Instant renewAt(Token token) {
        Duration life = Duration.between(token.issuedAt(), token.expiresAt());
        Duration margin = life.compareTo(MARGIN.multipliedBy(2)) < 0 ? life.dividedBy(2) : MARGIN;
        return token.expiresAt().minus(margin);
    }

    @Override
    public synchronized void close() {
        closed = true;
        current = null;
        Arrays.fill(password, '\0');
    }
}
