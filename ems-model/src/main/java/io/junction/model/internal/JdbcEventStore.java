package io.junction.model.internal;

import io.junction.api.NotFoundException;
import io.junction.api.service.EmsEvent;
import io.junction.api.store.EventStore;
import io.junction.api.store.Fence;
import io.junction.api.store.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link EventStore} in plain JDBC: each batch is written with one batched insert, leaving out what
 * is stored already, and committed together with the cursor that follows it.
 */
@Component(service = EventStore.class)
public class JdbcEventStore implements EventStore {
    private static final String COLUMNS = "ID, EMS_ID, SOURCE, PROVIDER_EVENT_ID, EVENT_TYPE, SEVERITY, OCCURRED_AT, SUBJECT_REF, MESSAGE, ATTRIBUTES, RECEIVED_AT";
    /** SQLState of a foreign key violation: for events, only a row of an EMS that no longer exists. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** SQLState of a unique key violation: an event of the batch is stored already. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INSERT = "INSERT INTO JN_EVENT (EMS_ID, SOURCE, PROVIDER_EVENT_ID, EVENT_TYPE, SEVERITY, OCCURRED_AT,"
            + " SUBJECT_REF, MESSAGE, ATTRIBUTES, RECEIVED_AT)";
    private static final int SOURCE_MAX = 64;
    private static final int ID_MAX = 255;

    private final Jdbc jdbc;
    /**
     * On Derby, event writes (a batch, a trim step) go one at a time. Derby hands out the next
     * block of event ids by updating a row of SYSCOLUMNS in a transaction of its own that does not
     * wait for a lock: while another write held that row (its own id block being written and
     * flushed, or a trim's statement reading it), a store failed at once as "database busy"
     * (40XL1), seen under load with many EMSs. Waiting here instead costs nothing Derby would not
     * serialize anyway (one log, one process); PostgreSQL's sequences take no such lock.
     */
    private final ReentrantLock derbyWrites = new ReentrantLock();

    @Activate
    public JdbcEventStore(@Reference(target = "(osgi.jndi.service.name=junction)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public List<EmsEvent> store(long emsId, List<EmsEvent> events, String cursorAfter) {
        return store(emsId, null, events, cursorAfter);
    }

    @Override
    public List<EmsEvent> store(Fence fence, List<EmsEvent> events, String cursorAfter) {
        return store(fence.emsId(), fence, events, cursorAfter);
    }

    private List<EmsEvent> store(long emsId, Fence fence, List<EmsEvent> events, String cursorAfter) {
        // Repeats inside the batch count once (compared as they are stored, after cutting).
        Map<String, EmsEvent> byKey = new LinkedHashMap<>();
        for (EmsEvent e : events) {
            byKey.putIfAbsent(key(cut(e.source(), SOURCE_MAX), cut(e.providerEventId(), ID_MAX)), e);
        }
        List<EmsEvent> batch = new ArrayList<>(byKey.values());
        return oneAtATimeOnDerby(() -> storeBatch(emsId, fence, batch, cursorAfter));
    }

    private <T> T oneAtATimeOnDerby(Supplier<T> write) {
        if (jdbc.dialect() != Dialect.DERBY) {
            return write.get();
        }
        derbyWrites.lock();
        try {
            return write.get();
        } finally {
            derbyWrites.unlock();
        }
    }

    private List<EmsEvent> storeBatch(long emsId, Fence fence, List<EmsEvent> batch, String cursorAfter) {
        return jdbc.transaction("storing events", unlessRemoved(emsId, c -> {
            JdbcNodeStore.check(c, jdbc.dialect(), fence);
            Timestamp now = Timestamp.from(Instant.now());
            List<EmsEvent> fresh = insertAll(c, jdbc.dialect(), emsId, batch, now);
            if (cursorAfter != null) {
                Jdbc.Binder cursor = s -> {
                    s.setString(1, cut(cursorAfter, 1024));
                    s.setTimestamp(2, now);
                    s.setLong(3, emsId);
                };
                if (Jdbc.update(c, "UPDATE JN_EVENT_CURSOR SET CURSOR_VALUE = ?, UPDATED = ? WHERE EMS_ID = ?", cursor) == 0) {
                    Jdbc.update(c, "INSERT INTO JN_EVENT_CURSOR (CURSOR_VALUE, UPDATED, EMS_ID) VALUES (?, ?, ?)", cursor);
                }
            }
            return fresh;
        }));
    }

    /**
     * Inserts the batch's events that are not stored yet and returns them. Where the database can
     * skip a row whose key is taken (PostgreSQL), that is one batched insert. Otherwise: a subscription resumed
     * from its cursor delivers new events almost always, so the batch is first inserted as it is:
     * the unique index (EMS, source, id) rejects it if any event is stored already, and only then
     * (the batch's rows gone with a rollback to the savepoint) is each event inserted with a
     * condition that leaves it out when stored, the update counts telling which were new.
     */
    private static List<EmsEvent> insertAll(Connection c, Dialect dialect, long emsId, List<EmsEvent> batch, Timestamp now) throws SQLException {
        if (batch.isEmpty()) {
            return batch;
        }
        String skipTaken = dialect.skipTaken("EMS_ID, SOURCE, PROVIDER_EVENT_ID");
        if (skipTaken != null) {
            // One statement whatever is stored already: no savepoint to set and release (each a
            // round trip to a server), the update counts telling which events were new.
            try (PreparedStatement insert = c.prepareStatement(INSERT + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + skipTaken)) {
                for (EmsEvent e : batch) {
                    bind(insert, emsId, e, now);
                    insert.addBatch();
                }
                return inserted(batch, insert.executeBatch());
            }
        }
        Savepoint before = c.setSavepoint();
        try (PreparedStatement insert = c.prepareStatement(INSERT + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (EmsEvent e : batch) {
                bind(insert, emsId, e, now);
                insert.addBatch();
            }
            insert.executeBatch();
            c.releaseSavepoint(before);
            return batch;
        } catch (SQLException e) {
            if (!Jdbc.hasState(e, UNIQUE_VIOLATION)) {
                throw e;
            }
            c.rollback(before);
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT
                + " SELECT CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),"
                + " CAST(? AS VARCHAR(32)), CAST(? AS TIMESTAMP), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(4000)),"
                + " CAST(? AS VARCHAR(8000)), CAST(? AS TIMESTAMP)" + dialect.fromNoTable()
                + " WHERE NOT EXISTS (SELECT 1 FROM JN_EVENT WHERE EMS_ID = ? AND SOURCE = ? AND PROVIDER_EVENT_ID = ?)")) {
            for (EmsEvent e : batch) {
                bind(insert, emsId, e, now);
                insert.setLong(11, emsId);
                insert.setString(12, cut(e.source(), SOURCE_MAX));
                insert.setString(13, cut(e.providerEventId(), ID_MAX));
                insert.addBatch();
            }
            return inserted(batch, insert.executeBatch());
        }
    }

    /** The events of the batch whose conditional insert added a row. */
    private static List<EmsEvent> inserted(List<EmsEvent> batch, int[] counts) {
        List<EmsEvent> fresh = new ArrayList<>(batch.size());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                fresh.add(batch.get(i));
            }
        }
        return fresh;
    }

    private static void bind(PreparedStatement insert, long emsId, EmsEvent e, Timestamp now) throws SQLException {
        insert.setLong(1, emsId);
        insert.setString(2, cut(e.source(), SOURCE_MAX));
        insert.setString(3, cut(e.providerEventId(), ID_MAX));
        insert.setString(4, cut(e.type(), 255));
        insert.setString(5, cut(e.severity(), 32));
        insert.setTimestamp(6, Timestamp.from(e.occurredAt()));
        insert.setString(7, cut(e.subjectRef(), 255));
        insert.setString(8, cut(e.message(), 4000));
        insert.setString(9, cut(Attributes.encode(e.attributes()), 8000));
        insert.setTimestamp(10, now);
    }

    /**
     * The EMS may be removed while its events are on the way (its rows go, and the insert then
     * violates the foreign key): that is not a database error to log with its trace, the sender
     * is told the EMS is gone.
     */
    private static <T> Jdbc.Work<T> unlessRemoved(long emsId, Jdbc.Work<T> work) {
        return c -> {
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (Jdbc.hasState(e, FOREIGN_KEY_VIOLATION)) {
                    throw new NotFoundException("EMS " + emsId + " was removed; its events are not stored");
                }
                throw e;
            }
        };
    }

    private static String key(String source, String id) {
        return source + "\u0000" + id;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    @Override
    public Optional<String> cursor(long emsId) {
        return jdbc.query("reading the event cursor", "SELECT CURSOR_VALUE FROM JN_EVENT_CURSOR WHERE EMS_ID = ?",
                s -> s.setLong(1, emsId), 1, r -> r.getString(1)).stream().findFirst();
    }

    @Override
    public List<StoredEvent> latest(long emsId, int limit) {
        List<StoredEvent> newestFirst = jdbc.query("reading events", "SELECT " + COLUMNS + " FROM JN_EVENT WHERE EMS_ID = ? ORDER BY ID DESC",
                s -> s.setLong(1, emsId), limit, JdbcEventStore::event);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public List<StoredEvent> after(long emsId, long afterId, int limit) {
        return jdbc.query("reading events", "SELECT " + COLUMNS + " FROM JN_EVENT WHERE EMS_ID = ? AND ID > ? ORDER BY ID",
                s -> {
                    s.setLong(1, emsId);
                    s.setLong(2, afterId);
                }, limit, JdbcEventStore::event);
    }

    @Override
    public long count(long emsId) {
        return jdbc.query("counting events", "SELECT COUNT(*) FROM JN_EVENT WHERE EMS_ID = ?", s -> s.setLong(1, emsId), 1,
                r -> r.getLong(1)).get(0);
    }

    /**
     * One short transaction per EMS, each through the (EMS, id) index, instead of one over the whole
     * table: stores wait only for the EMS step under way (see {@link #derbyWrites}).
     */
    @Override
    public long trim(Instant olderThan, long keepPerEms) {
        List<Long> emsIds = jdbc.query("listing EMSs to trim", "SELECT ID FROM JN_EMS ORDER BY ID", s -> { }, 0, r -> r.getLong(1));
        long removed = 0;
        for (long emsId : emsIds) {
            removed += oneAtATimeOnDerby(() -> jdbc.transaction("trimming events", c -> trimEms(c, emsId, olderThan, keepPerEms)));
        }
        return removed;
    }

    private static long trimEms(Connection c, long emsId, Instant olderThan, long keepPerEms) throws SQLException {
        long removed = Jdbc.update(c, "DELETE FROM JN_EVENT WHERE EMS_ID = ? AND RECEIVED_AT < ?", s -> {
            s.setLong(1, emsId);
            s.setTimestamp(2, Timestamp.from(olderThan));
        });
        List<Long> edge = Jdbc.query(c, "SELECT ID FROM JN_EVENT WHERE EMS_ID = ? ORDER BY ID DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                s -> {
                    s.setLong(1, emsId);
                    s.setLong(2, keepPerEms);
                }, 1, r -> r.getLong(1));
        if (!edge.isEmpty()) {
            removed += Jdbc.update(c, "DELETE FROM JN_EVENT WHERE EMS_ID = ? AND ID <= ?", s -> {
                s.setLong(1, emsId);
                s.setLong(2, edge.get(0));
            });
        }
        return removed;
    }

    private static StoredEvent event(ResultSet r) throws SQLException {
        EmsEvent e = new EmsEvent(r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getTimestamp(7).toInstant(),
                r.getString(8), r.getString(9), Attributes.decode(r.getString(10)));
        return new StoredEvent(r.getLong(1), r.getLong(2), e, r.getTimestamp(11).toInstant());
    }
}
