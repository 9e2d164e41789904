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
import io.junction.api.service.TaskScheduler;
import io.junction.provider.openstack.internal.OpenStackSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final TaskScheduler scheduler;
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private volatile boolean handleClosed;

    /**
     * Connects to the broker.
     *
     * @param scheduler the platform's: runs the consumer's dispatch and the batches' delivery, so that
     *                  a subscription holds no thread of its own while idle
     */
    public static NotificationHandle open(Connection connection, String emsName, String user, char[] password, Duration connectTimeout,
                                          Clock clock, Supplier<OpenStackSettings> settings, TaskScheduler scheduler) {
        ConnectionFactory factory = Broker.factory(connection, user, password, connectTimeout);
        // The client's consumer dispatch would otherwise start a pool of its own per connection
        // (twice the cores); its work (queueing a message) is short, as the scheduler's contract asks.
        factory.setSharedExecutor(new SchedulerExecutor(scheduler));
        try {
            com.rabbitmq.client.Connection amqp = factory.newConnection("junction " + emsName);
            return new NotificationHandle(connection, amqp, queueName(emsName), clock, settings, scheduler);
        } catch (IOException | TimeoutException e) {
            throw Broker.failure(e, connection, user);
        } finally {
            factory.setPassword("");
        }
    }

    NotificationHandle(Connection connection, com.rabbitmq.client.Connection amqp, String queue, Clock clock,
                       Supplier<OpenStackSettings> settings, TaskScheduler scheduler) {
        this.scheduler = scheduler;
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

    /**
     * One subscription: the client's dispatch (on the platform's scheduler) queues deliveries, and a
     * task on the same scheduler, started when messages wait, delivers them in batches and
     * acknowledges. Nothing is held while the queue is empty. What still costs a thread per broker
     * connection is the AMQP client's own: its blocking socket reader and its heartbeat sender.
     */
    private final class Consumer extends DefaultConsumer implements EventSubscription {
        private static final long RETRY_MILLIS = 1000;
        private final Queue<Message> received = new ConcurrentLinkedQueue<>();
        private final EventSink sink;
        private final int batchSize;
        /** Whether a drain task is scheduled or running: at most one at a time. */
        private final AtomicBoolean draining = new AtomicBoolean();
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
        /** After a refused batch, no delivery before this time (System.nanoTime()). */
        private volatile long notBefore = System.nanoTime();
        private volatile TaskScheduler.Scheduled pending;

        Consumer(Channel channel, EventSink sink, int batchSize) {
            super(channel);
            this.sink = sink;
            this.batchSize = batchSize;
        }

        void start() throws IOException {
            tag = getChannel().basicConsume(queue, false, this);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            received.add(new Message(envelope.getDeliveryTag(), body));
            drainSoon();
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

        /** Schedules a drain unless one is scheduled or running. */
        private void drainSoon() {
            if (open && !received.isEmpty() && draining.compareAndSet(false, true)) {
                long wait = Math.max(0, notBefore - System.nanoTime());
                pending = scheduler.schedule(this::drain, Duration.ofNanos(wait));
                if (!open) {
                    pending.cancel();
                }
            }
        }

        /** Delivers one batch of what waits, then schedules the next drain if more waits. */
        private void drain() {
            try {
                if (!open) {
                    return;
                }
                List<Message> batch = new ArrayList<>();
                Message m;
                while (batch.size() < batchSize && (m = received.poll()) != null) {
                    batch.add(m);
                }
                if (!batch.isEmpty()) {
                    handle(batch);
                }
            } finally {
                draining.set(false);
                drainSoon();
            }
        }

        /** Delivers a batch, then acknowledges all of it at once; on failure gives it back to the broker and pauses a moment. */
        private void handle(List<Message> batch) {
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
                    notBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
                    nack(last);
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
            TaskScheduler.Scheduled p = pending;
            if (p != null) {
                p.cancel();
            }
            consumers.remove(this);
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

    /**
     * The AMQP client's consumer dispatch on the platform's scheduler. Shut down with its
     * connection by the client? Never: the scheduler is the platform's, so shutting down is a no-op.
     */
    private static final class SchedulerExecutor extends AbstractExecutorService {
        private final TaskScheduler scheduler;

        SchedulerExecutor(TaskScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void execute(Runnable command) {
            scheduler.schedule(command, Duration.ZERO);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
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
