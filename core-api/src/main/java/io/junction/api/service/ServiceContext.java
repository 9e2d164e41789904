package io.junction.api.service;

import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.Ems;
import io.junction.api.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What a service gets to open a handle: the EMS, the one connection the handle is for, that
 * connection's credential, and the timeouts to keep. The secret can be read once. The EMS's other
 * connections can be looked at (not their credentials): OpenStack's compute service gets its
 * tokens from the same EMS's identity endpoint.
 */
public final class ServiceContext {
    private final Ems ems;
    private final Connection connection;
    private final List<Connection> emsConnections;
    private final Credential credential;
    private final Supplier<Secret> secret;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration operationTimeout;
    private final TaskScheduler scheduler;
    private final AtomicBoolean secretRead = new AtomicBoolean();

    /**
     * A context that knows of no other connection of the EMS than the handle's.
     *
     * @param credential the connection's credential, or {@code null} when it has none
     * @param secret     decrypts the credential's secret when asked
     */
    public ServiceContext(Ems ems, Connection connection, Credential credential, Supplier<Secret> secret, Clock clock,
                          Duration connectTimeout, Duration operationTimeout) {
        this(ems, connection, List.of(connection), credential, secret, clock, connectTimeout, operationTimeout);
    }

    /**
     * @param emsConnections all connections of the EMS, the handle's among them
     * @param credential     the connection's credential, or {@code null} when it has none
     * @param secret         decrypts the credential's secret when asked
     * @since 1.1
     */
    public ServiceContext(Ems ems, Connection connection, List<Connection> emsConnections, Credential credential,
                          Supplier<Secret> secret, Clock clock, Duration connectTimeout, Duration operationTimeout) {
        this(ems, connection, emsConnections, credential, secret, clock, connectTimeout, operationTimeout, TaskScheduler.threadPerTask());
    }

    /**
     * @param emsConnections all connections of the EMS, the handle's among them
     * @param credential     the connection's credential, or {@code null} when it has none
     * @param secret         decrypts the credential's secret when asked
     * @param scheduler      the platform's shared scheduler for the handle's background work
     * @since 1.4
     */
    public ServiceContext(Ems ems, Connection connection, List<Connection> emsConnections, Credential credential,
                          Supplier<Secret> secret, Clock clock, Duration connectTimeout, Duration operationTimeout,
                          TaskScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ems = Objects.requireNonNull(ems, "ems");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.emsConnections = List.copyOf(emsConnections);
        this.credential = credential;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.operationTimeout = Objects.requireNonNull(operationTimeout, "operationTimeout");
    }

    public Ems ems() {
        return ems;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * The connection the EMS uses for a role (its default one), whichever handle this context is
     * for; empty when the EMS has none of that role.
     *
     * @since 1.1
     */
    public Optional<Connection> connection(String role) {
        return Connection.forRole(emsConnections, role);
    }

    /** The connection's credential (user, kind), or {@code null}; its secret comes from {@link #readSecret()}. */
    public Credential credential() {
        return credential;
    }

    /**
     * The credential's secret; the caller closes it once used. It can be read only once, so
     * that it does not linger in long-lived objects.
     *
     * @throws IllegalStateException when it was read before or there is no credential
     */
    public Secret readSecret() {
        if (credential == null) {
            throw new IllegalStateException("connection " + connection.id() + " has no credential");
        }
        if (!secretRead.compareAndSet(false, true)) {
            throw new IllegalStateException("the secret was already read");
        }
        return secret.get();
    }

    public Clock clock() {
        return clock;
    }

    /** How long to wait for a connection to the server. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long one operation on the server may take. */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /**
     * Where the handle runs its background work (event polls, deliveries): the platform's bounded,
     * shared scheduler, under the contract {@link TaskScheduler} states. A context made without one
     * gives a thread per task.
     *
     * @since 1.4
     */
    public TaskScheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "ServiceContext[ems=" + ems.name() + ", connection=" + connection.id() + " " + connection.url() + "]";
    }
}
