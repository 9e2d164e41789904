package io.junction.simulators.winrm;

import java.time.Instant;
import java.util.UUID;

/**
 * One SCOM alert as the simulator holds it at the moment it is read: its {@code Id} and its
 * {@code LastModified}. Together they name one version of the alert, which is what a client that
 * polls SCOM can tell apart.
 */
public record ScomAlert(UUID id, Instant lastModified) {
}
