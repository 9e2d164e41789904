package io.junction.core.internal.router;

import io.junction.api.Connection;
import java.time.Instant;

/**
 * A connection whose server did not answer (refused, timed out, reset): calls skip it while a standby
 * of its role is up, and it is probed in the background until it answers again.
 *
 * @param emsId      the EMS it belongs to
 * @param connection the connection as it was when it failed
 * @param reason     why, as the failure said it
 * @param since      when it was first found down
 * @param probes     how many probes it has failed since
 */
record DownConnection(long emsId, Connection connection, String reason, Instant since, int probes) {

    DownConnection probedAgain(String why) {
        return new DownConnection(emsId, connection, why, since, probes + 1);
    }
}
