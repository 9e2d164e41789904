package io.junction.api.inventory;

import java.time.Instant;

/**
 * The last refresh of an EMS.
 *
 * @param at     when it ended, or {@code null} if the EMS was never refreshed
 * @param status {@code ok} or {@code failed}, or {@code null}
 * @param detail the error of a failed refresh, or a summary of a good one
 */
public record RefreshStatus(Instant at, String status, String detail) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final RefreshStatus NEVER = new RefreshStatus(null, null, null);
}
