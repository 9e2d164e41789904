package io.junction.api.security;

import java.time.Instant;
import java.util.Objects;

/** Where every door records what callers did ({@code data/log/audit.log}). Never given a secret. */
public interface AuditTrail {

    String OK = "ok";
    String ERROR = "error";
    String DENIED = "denied";

    /**
     * One thing a caller did or tried: who ({@code role} is {@code -} for a login that failed), from
     * where, the action with secrets already elided, and its outcome.
     */
    record Entry(Instant time, String user, String role, String origin, String action, String outcome) {
        public Entry {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** What an authenticated caller did. */
        public static Entry of(Caller caller, String action, String outcome) {
            return new Entry(Instant.now(), caller.user(), caller.role().id(), caller.origin(), action, outcome);
        }
    }

    void record(Entry entry);

    /**
     * The command line with the values of secret-bearing options ({@code --password}, {@code --secret},
     * {@code --token}, {@code name=value} forms too) replaced by {@code ***}, for audit lines.
     */
    String elideSecrets(String commandLine);
}
