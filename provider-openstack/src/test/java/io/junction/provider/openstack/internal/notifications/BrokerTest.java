package io.junction.provider.openstack.internal.notifications;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import io.junction.api.Connection;
import io.junction.api.ProviderException;
import io.junction.api.UnreachableException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Which ends of a broker connection mean that the broker went away (a standby may take over), and which are answers. */
class BrokerTest {
    static final Connection AMQP = new Connection(3, 1, "amqp", "127.0.0.1", 5672, "amqp", "", true, null, true, false);

    private static ShutdownSignalException closedByBroker(int code, String text) {
        return new ShutdownSignalException(true, false, new AMQImpl.Connection.Close(code, text, 0, 0), null);
    }

    @Test
    void aLostConnectionAndABrokerShuttingDownAreAbsence() {
        ShutdownSignalException reset = new ShutdownSignalException(true, false, null, null);
        reset.initCause(new SocketException("Connection reset"));
        assertTrue(Broker.wentAway(reset));
        assertTrue(Broker.wentAway(closedByBroker(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'")));
        // What a call on the connection meets afterwards says the same.
        UnreachableException e = assertInstanceOf(UnreachableException.class, Broker.failure(new AlreadyClosedException(reset), AMQP, ""));
        assertTrue(e.getMessage().startsWith("the AMQP broker at 127.0.0.1:5672 went away: "), e.getMessage());
    }

    @Test
    void closesThatAreAnswersOrOurOwnAreNotAbsence() {
        assertFalse(Broker.wentAway(closedByBroker(403, "ACCESS_REFUSED - access to vhost '/' refused")));
        assertFalse(Broker.wentAway(closedByBroker(530, "NOT_ALLOWED - vhost not found")));
        assertFalse(Broker.wentAway(new ShutdownSignalException(true, true, new AMQImpl.Connection.Close(200, "OK", 0, 0), null)));
        // A channel closed by the broker (the queue went away, a precondition failed) is not the broker going away.
        assertFalse(Broker.wentAway(new ShutdownSignalException(false, false,
                new AMQImpl.Channel.Close(404, "NOT_FOUND - no queue", 50, 10), null)));
        assertInstanceOf(ProviderException.class, Broker.failure(closedByBroker(403, "ACCESS_REFUSED"), AMQP, ""));
    }
}
