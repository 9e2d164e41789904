package io.junction.api.inventory;

import java.time.Duration;

/**
 * How a refresh ended.
 *
 * @param counts what it did
 * @param took   how long it took
 * @param joined whether this caller waited for a refresh someone else had started
 */
public record RefreshResult(RefreshCounts counts, Duration took, boolean joined) {
}
