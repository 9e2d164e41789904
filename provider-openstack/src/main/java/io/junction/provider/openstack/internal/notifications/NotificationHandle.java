package io.junction.provider.openstack.internal.notifications;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.junction.api.Connection;
import io.junction.api.JunctionException;
import io.junction.api.UnreachableException;
import io.junction.api.service.Capability;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.openstack.internal.OpenStackSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's notifications from one AMQP broker. A subscription declares Junction's own durable queue
 * for the EMS ({@code junction.<ems name>.notifications}), binds it to the notification exchange
 * with {@code <topic>.info} and {@code <topic>.error}, and consumes it with manual acknowledgements:
 * a message is acknowledged only after the batch holding its event was delivered (stored), so
 * what is not yet stored — while Junction is down, during a hot swap, or when storing fails —
 * stays in the broker. The queue is the cursor: subscribe ignores the cursor it is given.
 */
public final class NotificationHandle implements ServiceHandle, EventCapability {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationHandle.class);
    private static final int REMEMBERED_IDS = 10_000;

    private final Connection connection;
    private final com.rabbitmq.client.Connection amqp;
    private final String queue;
    private final Supplier<OpenStackSettings> settings;
    private final Clock clock;
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private volatile boolean handleClosed;

    /** Connects to the broker. */
    public static NotificationHandle open(Connection connection, String emsName, String user, char[] password, Duration connectTimeout,
                                          Clock clock, Supplier<OpenStackSettings> settings) {
        ConnectionFactory factory = Broker.factory(connection, user, password, connectTimeout);
        try {
            com.rabbitmq.client.Connection amqp = factory.newConnection("junction " + emsName);
            return new NotificationHandle(connection, amqp, queueName(emsName), clock, settings);
        } catch (IOException | TimeoutException e) {
            throw Broker.failure(e, connection, user);
        } finally {
            factory.setPassword("");
        }
    }

    NotificationHandle(Connection connection, com.rabbitmq.client.Connection amqp, String queue, Clock clock,
                       Supplier<OpenStackSettings> settings) {
        this.connection = connection;
        this.amqp = amqp;
        this.queue = queue;
        this.clock = clock;
        this.settings = settings;
    }

    /** {@code junction.<ems name>.notifications}, with characters other than letters, digits, {@code .}, {@code _}, {@code -} as {@code _}. */
    public static String queueName(String emsName) {
        return "junction." + emsName.replaceAll("[^A-Za-z0-9._-]", "_") + ".notifications";
    }

    public String queue() {
        return queue;
    }

    /** Opens and closes a channel: the broker accepted the account and the virtual host. */
    @Override
    public void verify() {
        try (Channel channel = amqp.createChannel()) {
            LOG.debug("AMQP broker at {} answers (channel {})", connection.address(), channel.getChannelNumber());
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw Broker.failure(e, connection, "");
        }
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public EventSubscription subscribe(String cursor, EventSink sink) {
        OpenStackSettings s = settings.get();
        if (!amqp.isOpen()) {
            // The broker went away and the client is reconnecting to it: the platform may subscribe
            // through another broker of the cluster meanwhile.
            throw new UnreachableException("the AMQP broker at " + connection.address() + " is not connected (it went away;"
                    + " reconnecting to it)");
        }
        try {
            declareExchange(s.exchange());
            Channel channel = amqp.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            for (String priority : List.of("info", "error")) {
                channel.queueBind(queue, s.exchange(), s.topic() + "." + priority);
            }
            channel.basicQos(Math.max(1, s.eventBatchSize()) * 2);
            Consumer consumer = new Consumer(channel, sink, Math.max(1, s.eventBatchSize()));
            consumers.add(consumer);
            consumer.start();
            LOG.info("Reading Nova notifications from queue {} on {} (exchange {}, {}.info/.error)", queue, connection.address(),
                    s.exchange(), s.topic());
            return consumer;
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (e instanceof JunctionException j) {
                throw j;
            }
            throw Broker.failure(e, connection, "");
        }
    }

    /**
     * Makes sure the exchange exists without changing one Nova made: oslo.messaging declares
     * {@code nova} as a non-durable topic exchange, and declaring it otherwise would be refused.
     */
    private void declareExchange(String exchange) throws IOException, TimeoutException {
        Channel probe = amqp.createChannel();
        try {
            probe.exchangeDeclarePassive(exchange);
            probe.close();
        } catch (IOException notFound) {
            // the failed passive declare closed the probe channel
            try (Channel channel = amqp.createChannel()) {
                channel.exchangeDeclare(exchange, "topic", false);
            }
        }
    }

    /** One subscription: the broker's consumer thread queues deliveries, a worker delivers them in batches and acknowledges. */
    private final class Consumer extends DefaultConsumer implements EventSubscription, Runnable {
        private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        private final EventSink sink;
        private final int batchSize;
        private final Thread worker;
        private final Map<String, Boolean> delivered = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_IDS;
            }
        };
        private volatile boolean open = true;
        /** Ended by its channel's end, not by {@link #close()}: see {@link #handleShutdownSignal}. */
        private volatile boolean ended;
        private volatile String tag;

        Consumer(Channel channel, EventSink sink, int batchSize) {
            super(channel);
            this.sink = sink;
            this.batchSize = batchSize;
            this.worker = new Thread(this, "nova-notifications " + queue);
            worker.setDaemon(true);
        }

        void start() throws IOException {
            tag = getChannel().basicConsume(queue, false, this);
            worker.start();
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            received.add(new Message(envelope.getDeliveryTag(), body));
        }

        /**
         * The channel ended. Closed by this side, or by the broker for this channel alone: the
         * subscription has ended, and the platform starts a new one. The connection lost (reset,
         * timed out, or the broker shutting down): the broker went away; the client reconnects to
         * it and this consumer goes on there, while the platform is told, so that it may subscribe
         * through another broker of the cluster instead. Either way, what was not acknowledged
         * stays in the queue and comes again.
         */
        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            if (!open) {
                return;
            }
            if (signal.isInitiatedByApplication() || !signal.isHardError()) {
                ended = true;
                LOG.info("The consumer of queue {} on {} ended: {}", queue, connection.address(), signal.getMessage());
                return;
            }
            if (Broker.wentAway(signal)) {
                UnreachableException away = new UnreachableException("the AMQP broker at " + connection.address() + " went away: "
                        + UnreachableException.reason(signal), signal);
                LOG.warn("{}; reconnecting to it", away.getMessage());
                sink.unreachable(away);
            } else {
                LOG.warn("The AMQP broker at {} closed the connection: {}; reconnecting to it", connection.address(),
                        signal.getMessage());
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            LOG.warn("The broker at {} cancelled the consumer of queue {} (was it deleted?); no more notifications until the "
                    + "subscription is made again", connection.address(), queue);
        }

        @Override
        public void run() {
            try {
                while (open) {
                    Message first = received.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    List<Message> batch = new ArrayList<>();
                    batch.add(first);
                    received.drainTo(batch, batchSize - 1);
                    handle(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                consumers.remove(this);
            }
        }

        /** Delivers a batch, then acknowledges all of it at once; on failure gives it back to the broker and waits a moment. */
        private void handle(List<Message> batch) throws InterruptedException {
            List<EmsEvent> events = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Message m : batch) {
                try {
                    EmsEvent e = NovaNotifications.event(m.body(), clock.instant());
                    if (delivered.containsKey(e.providerEventId()) || ids.contains(e.providerEventId())) {
                        LOG.debug("Notification {} was already delivered", e.providerEventId());
                        continue;
                    }
                    events.add(e);
                    ids.add(e.providerEventId());
                } catch (NovaNotifications.MalformedNotification e) {
                    LOG.warn("Left out a message on queue {} that is not a Nova notification: {}", queue, e.getMessage());
                }
            }
            long last = batch.get(batch.size() - 1).deliveryTag();
            synchronized (this) {
                if (!open) {
                    return; // not acknowledged: the broker delivers it again to the next subscription
                }
                try {
                    if (!events.isEmpty()) {
                        sink.deliver(List.copyOf(events), ids.get(ids.size() - 1));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Storing {} Nova notifications failed; they stay in queue {} and come again: {}", events.size(), queue,
                            e.toString());
                    nack(last);
                    wait(1000);
                    return;
                }
                ids.forEach(id -> delivered.put(id, Boolean.TRUE));
                try {
                    getChannel().basicAck(last, true);
                } catch (IOException | RuntimeException e) {
                    // the channel is gone; its unacknowledged messages come again, and the ids above are left out then
                    LOG.warn("Acknowledging notifications on queue {} failed: {}", queue, e.toString());
                }
            }
        }

        private void nack(long last) {
            try {
                getChannel().basicNack(last, true, true);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Returning notifications to queue {} failed: {}", queue, e.toString());
            }
        }

        @Override
        public boolean active() {
            // While the client reconnects to a broker that went away, the channel is closed but the
            // consumer is not over: it resumes on the channel's recovery.
            return open && !ended && !handleClosed;
        }

        /** Stops consuming; what was received and not yet delivered is not acknowledged and returns to the queue. */
        @Override
        public void close() {
            synchronized (this) {
                if (!open) {
                    return;
                }
                open = false;
                notifyAll();
            }
            try {
                if (tag != null && getChannel().isOpen()) {
                    getChannel().basicCancel(tag);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cancelling the consumer of {} failed: {}", queue, e.toString());
            }
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                if (getChannel().isOpen()) {
                    getChannel().close();
                } else {
                    // Closed by a broker that went away: closing it here still matters, as the client
                    // would otherwise bring the channel and this consumer back when it reconnects, and
                    // what it then received would never be acknowledged.
                    getChannel().abort();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("Closing the channel of {} failed: {}", queue, e.toString());
            }
        }
    }

    private record Message(long deliveryTag, byte[] body) {
    }

    @Override
    public void close() {
        handleClosed = true;
        List.copyOf(consumers).forEach(Consumer::close);
        try {
            amqp.close(5_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the AMQP connection to {} failed: {}", connection.address(), e.toString());
        }
    }
}
