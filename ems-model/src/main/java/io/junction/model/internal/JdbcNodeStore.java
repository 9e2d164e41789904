package io.junction.model.internal;

import io.junction.api.store.Fence;
import io.junction.api.store.LeaseLostException;
import io.junction.api.store.NodeStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link NodeStore} in plain JDBC. Every change of a lease is one conditional update in a
 * transaction of the database: PostgreSQL's row lock makes two nodes taking the same expired lease
 * at once see each other, so exactly one of them gets it. Times are the database's clock.
 */
@Component(service = NodeStore.class)
public class JdbcNodeStore implements NodeStore {
    /** SQLState of a unique key violation: another node made the lease row first. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** SQLState of a foreign key violation: the EMS was removed. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final int NAME_MAX = 128;
    /**
     * How long a transaction touching a lease row may wait for a lock, or sit idle, on a server.
     * A node paused (SIGSTOP, a long GC) inside such a transaction keeps the row locked: the server
     * ends its session after this long, so that the others can take its leases over once they
     * expire instead of waiting for it to wake up; and a node asking waits no longer than this.
     */
    static final String SHORT_TRANSACTION = "2s";

    private final Jdbc jdbc;

    @Activate
    public JdbcNodeStore(@Reference(target = "(osgi.jndi.service.name=junction)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public boolean shared() {
        return jdbc.dialect() != Dialect.DERBY;
    }

    @Override
    public void heartbeat(String node) {
        String now = jdbc.dialect().nowMillis();
        jdbc.transaction("recording the node's heartbeat", c -> {
            if (Jdbc.update(c, "UPDATE JN_NODE SET HEARTBEAT_MS = " + now + " WHERE NAME = ?", s -> s.setString(1, name(node))) == 0) {
                Jdbc.update(c, "INSERT INTO JN_NODE (NAME, STARTED_MS, HEARTBEAT_MS) VALUES (?, " + now + ", " + now + ")",
                        s -> s.setString(1, name(node)));
            }
            return null;
        });
    }

    @Override
    public List<NodeRow> nodes(Duration liveWithin) {
        long window = liveWithin.toMillis();
        return jdbc.query("reading the nodes", "SELECT NAME, HEARTBEAT_MS, " + jdbc.dialect().nowMillis() + " FROM JN_NODE ORDER BY NAME",
                s -> { }, 0, r -> new NodeRow(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), r.getLong(3) - r.getLong(2) <= window));
    }

    @Override
    public List<LeaseRow> leases() {
        return jdbc.query("reading the leases", "SELECT EMS_ID, OWNER, FENCE, EXPIRES_MS, " + jdbc.dialect().nowMillis()
                        + " FROM JN_EMS_LEASE ORDER BY EMS_ID", s -> { }, 0,
                r -> new LeaseRow(r.getLong(1), Optional.ofNullable(r.getString(2)), r.getLong(3), r.getLong(4) < r.getLong(5)));
    }

    @Override
    public Optional<Fence> acquire(long emsId, String node, Duration leaseTime) {
        String now = jdbc.dialect().nowMillis();
        String owner = name(node);
        return jdbc.transaction("taking the lease of an EMS", c -> {
            keepShort(c, jdbc.dialect());
            int taken = Jdbc.update(c, "UPDATE JN_EMS_LEASE SET OWNER = ?, FENCE = FENCE + 1, EXPIRES_MS = " + now + " + ?"
                    + " WHERE EMS_ID = ? AND (OWNER IS NULL OR EXPIRES_MS < " + now + ")", s -> {
                        s.setString(1, owner);
                        s.setLong(2, leaseTime.toMillis());
                        s.setLong(3, emsId);
                    });
            if (taken == 0 && !insertFirst(c, emsId, owner, leaseTime)) {
                return Optional.<Fence>empty();
            }
            List<Long> fence = Jdbc.query(c, "SELECT FENCE FROM JN_EMS_LEASE WHERE EMS_ID = ? AND OWNER = ?", s -> {
                s.setLong(1, emsId);
                s.setString(2, owner);
            }, 1, r -> r.getLong(1));
            return fence.isEmpty() ? Optional.<Fence>empty() : Optional.of(new Fence(emsId, owner, fence.get(0)));
        });
    }

    /** The EMS's first lease: false when its row exists (another node holds it) or the EMS is gone. */
    private boolean insertFirst(Connection c, long emsId, String owner, Duration leaseTime) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            Jdbc.update(c, "INSERT INTO JN_EMS_LEASE (EMS_ID, OWNER, EXPIRES_MS, FENCE) VALUES (?, ?, " + jdbc.dialect().nowMillis() + " + ?, 1)",
                    s -> {
                        s.setLong(1, emsId);
                        s.setString(2, owner);
                        s.setLong(3, leaseTime.toMillis());
                    });
            c.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            if (Jdbc.hasState(e, UNIQUE_VIOLATION) || Jdbc.hasState(e, FOREIGN_KEY_VIOLATION)) {
                c.rollback(before);
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean renew(Fence fence, Duration leaseTime) {
        return jdbc.transaction("renewing the lease of an EMS", c -> {
            keepShort(c, jdbc.dialect());
            return Jdbc.update(c, "UPDATE JN_EMS_LEASE SET EXPIRES_MS = " + jdbc.dialect().nowMillis() + " + ?"
                    + " WHERE EMS_ID = ? AND OWNER = ? AND FENCE = ?", s -> {
                        s.setLong(1, leaseTime.toMillis());
                        s.setLong(2, fence.emsId());
                        s.setString(3, fence.node());
                        s.setLong(4, fence.number());
                    }) == 1;
        });
    }

    @Override
    public void release(Fence fence) {
        jdbc.transaction("releasing the lease of an EMS", c -> {
            keepShort(c, jdbc.dialect());
            return Jdbc.update(c, "UPDATE JN_EMS_LEASE SET OWNER = NULL, EXPIRES_MS = " + jdbc.dialect().nowMillis()
                    + " WHERE EMS_ID = ? AND OWNER = ? AND FENCE = ?", s -> {
                        s.setLong(1, fence.emsId());
                        s.setString(2, fence.node());
                        s.setLong(3, fence.number());
                    });
        });
    }

    /** Bounds the current transaction's lock waits and idle time on a server (see {@link #SHORT_TRANSACTION}). */
    private static void keepShort(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            Jdbc.query(c, "SELECT set_config('lock_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)", s -> {
                s.setString(1, SHORT_TRANSACTION);
                s.setString(2, SHORT_TRANSACTION);
            }, 1, r -> null);
        }
    }

    /**
     * Checks, inside a write's transaction, that the fence's lease still holds, and keeps the lease
     * row share-locked until that transaction ends: a take-over (an update of the row) waits for
     * the write to commit, and a write after the take-over sees the new fencing number and stores
     * nothing. On Derby one node owns everything and there is nothing to check.
     *
     * @throws LeaseLostException when the lease row no longer names the fence's node and number
     */
    static void check(Connection c, Dialect dialect, Fence fence) throws SQLException {
        if (fence == null || dialect == Dialect.DERBY) {
            return;
        }
        keepShort(c, dialect);
        List<Long> held = Jdbc.query(c, "SELECT FENCE FROM JN_EMS_LEASE WHERE EMS_ID = ? AND OWNER = ? AND FENCE = ? FOR SHARE", s -> {
            s.setLong(1, fence.emsId());
            s.setString(2, fence.node());
            s.setLong(3, fence.number());
        }, 1, r -> r.getLong(1));
        if (held.isEmpty()) {
            throw new LeaseLostException("node " + fence.node() + " no longer holds the lease of EMS " + fence.emsId()
                    + " (fence " + fence.number() + "); nothing was written");
        }
    }

    private static String name(String node) {
        return node.length() <= NAME_MAX ? node : node.substring(0, NAME_MAX);
    }
}
