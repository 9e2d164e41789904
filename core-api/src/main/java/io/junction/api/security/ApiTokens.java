package io.junction.api.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * API tokens: long random secrets that act as one user (with the user's role as it is at each call),
 * for programs calling the REST API with {@code Authorization: Bearer}. Only a hash of each is kept;
 * the token itself is shown once, when it is issued. Removing the user removes their tokens.
 */
public interface ApiTokens {

    /** A token as it may be shown: its public id, its user, what it is for, when it was made. Never the secret. */
    record ApiToken(String id, String user, String label, Instant created) {
        public ApiToken {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(created, "created");
        }
    }

    /** A token just issued: the only time its secret form exists outside the caller's hands. */
    record Issued(ApiToken token, String secret) {
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Issued[" + token + "]"; // never the secret
        }
    }

    /**
     * Issues a token for the user; the label (may be empty) says what it is for.
     *
     * @throws io.junction.api.NotFoundException     when there is no such user
     * @throws io.junction.api.InvalidInputException for a label that is too long or holds control characters
     */
    Issued issue(String user, String label);

    /** All tokens, by user and then creation. */
    List<ApiToken> tokens();

    /**
     * Revokes a token by its id; it stops working at once.
     *
     * @throws io.junction.api.NotFoundException when there is no token with that id
     */
    void revoke(String id);
}
