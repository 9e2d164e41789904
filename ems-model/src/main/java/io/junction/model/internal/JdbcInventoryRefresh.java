package io.junction.model.internal;

import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventoryRefresh;
import io.junction.api.inventory.RefreshCounts;
import io.junction.api.inventory.VmItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A refresh as one database transaction: the stored rows' references and content hashes are
 * read once, each incoming item becomes an insert, an update or nothing, in JDBC batches, and
 * the rows the snapshot lacks are deleted at commit. A crash at any point before the commit
 * leaves the previous inventory whole; Derby's log takes care of that.
 */
final class JdbcInventoryRefresh implements InventoryRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcInventoryRefresh.class);
    static final int BATCH = 1000;
    private static final int MAX_TEXT = 255;

    private final long emsId;
    private final Connection connection;
    private final Timestamp now = Timestamp.from(Instant.now());
    private final Table clusters;
    private final Table hosts;
    private final Table vms;
    private final Table datastores;
    private long skipped;
    private long seen;
    private boolean committed;
    /** Whether the lease the refresh runs under still holds, checked in its transaction before it commits. */
    private final Jdbc.Work<Void> fenceCheck;
    private final Dialect dialect;
    /** The counts of a refresh another node finished while this one waited to begin; null if none. */
    private final RefreshCounts finishedMeanwhile;
    private boolean closed;

    /** One inventory table: what is stored in it, and the batches pending for it. */
    private final class Table {
        final String name;
        final Map<String, long[]> stored = new HashMap<>(); // ems_ref -> {id, hash, seen}
        final PreparedStatement insert;
        final PreparedStatement update;
        int pendingInserts;
        int pendingUpdates;
        long created;
        long updated;
        long unchanged;
        long deleted;

        Table(String name, String columns, int count) throws SQLException {
            this.name = name;
            try (PreparedStatement s = connection.prepareStatement("SELECT ID, EMS_REF, CONTENT_HASH"
                    + JdbcInventoryStore.fromEms(name, "constraint=" + name + "_REF_UQ") + " WHERE EMS_ID = ?")) {
                s.setLong(1, emsId);
                s.setFetchSize(BATCH);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        stored.put(r.getString(2), new long[] {r.getLong(1), r.getLong(3), 0});
                    }
                }
            }
            String marks = "?, ".repeat(count);
            insert = connection.prepareStatement("INSERT INTO " + name + " (EMS_ID, EMS_REF, " + columns + ", CONTENT_HASH, UPDATED) VALUES (?, ?, "
                    + marks + "?, ?)");
            update = connection.prepareStatement("UPDATE " + name + " SET " + String.join(" = ?, ", columns.split(", ")) + " = ?, CONTENT_HASH = ?, UPDATED = ? WHERE ID = ?");
        }

        /**
         * Decides what an item means for the table.
         *
         * @return the statement to fill (its item columns start at the returned offset), or {@code null} for nothing
         */
        PreparedStatement accept(String ref, long hash) throws SQLException {
            long[] row = stored.get(ref);
            if (row == null) {
                stored.put(ref, new long[] {-1, hash, 1});
                insert.setLong(1, emsId);
                insert.setString(2, ref);
                created++;
                return insert;
            }
            if (row[2] != 0) {
                skipped++;
                LOG.debug("Refresh of EMS {}: {} '{}' came twice; the second is skipped", emsId, name, ref);
                return null;
            }
            row[2] = 1;
            if (row[1] == hash) {
                unchanged++;
                return null;
            }
            updated++;
            return update;
        }

        /** Finishes the statement that {@link #accept} returned, after its item columns were set. */
        void add(PreparedStatement statement, int itemColumns, String ref, long hash) throws SQLException {
            if (statement == insert) {
                insert.setLong(3 + itemColumns, hash);
                insert.setTimestamp(4 + itemColumns, now);
                insert.addBatch();
                if (++pendingInserts >= BATCH) {
                    flushInserts();
                }
            } else {
                update.setLong(1 + itemColumns, hash);
                update.setTimestamp(2 + itemColumns, now);
                update.setLong(3 + itemColumns, stored.get(ref)[0]);
                update.addBatch();
                if (++pendingUpdates >= BATCH) {
                    flushUpdates();
                }
            }
        }

        int offset(PreparedStatement statement) {
            return statement == insert ? 3 : 1;
        }

        void flushInserts() throws SQLException {
            if (pendingInserts > 0) {
                insert.executeBatch();
                pendingInserts = 0;
            }
        }

        void flushUpdates() throws SQLException {
            if (pendingUpdates > 0) {
                update.executeBatch();
                pendingUpdates = 0;
            }
        }

        void deleteUnseen() throws SQLException {
            flushInserts();
            flushUpdates();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + name + " WHERE ID = ?")) {
                int pending = 0;
                for (long[] row : stored.values()) {
                    if (row[2] == 0) {
                        delete.setLong(1, row[0]);
                        delete.addBatch();
                        deleted++;
                        if (++pending >= BATCH) {
                            delete.executeBatch();
                            pending = 0;
                        }
                    }
                }
                if (pending > 0) {
                    delete.executeBatch();
                }
            }
        }

        void close() {
            try {
                insert.close();
                update.close();
            } catch (SQLException e) {
                LOG.debug("Closing statements of {}", name, e);
            }
        }
    }

    JdbcInventoryRefresh(long emsId, Connection connection) throws SQLException {
        this(emsId, connection, null, Dialect.DERBY);
    }

    /** @param fenceCheck run in the refresh's transaction just before it commits; null for none */
    JdbcInventoryRefresh(long emsId, Connection connection, Jdbc.Work<Void> fenceCheck, Dialect dialect) throws SQLException {
        this.emsId = emsId;
        this.connection = connection;
        this.fenceCheck = fenceCheck;
        connection.setAutoCommit(false);
        this.dialect = dialect;
        finishedMeanwhile = dialect == Dialect.DERBY ? null : waitForOtherNodes();
        clusters = new Table("JN_CLUSTER", "NAME", 1);
        hosts = new Table("JN_HOST", "NAME, CLUSTER_REF, CPU_COUNT, MEMORY_BYTES, POWER_STATE, RAW_STATE", 6);
        vms = new Table("JN_VM", "NAME, TEMPLATE, HOST_REF, CPU_COUNT, MEMORY_MB, GUEST_OS, IP_ADDRESSES, POWER_STATE, RAW_STATE", 9);
        datastores = new Table("JN_DATASTORE", "NAME, CAPACITY_BYTES, FREE_BYTES", 3);
    }

    /**
     * On a shared database: locks the EMS's refresh row for this transaction, waiting while a
     * refresh on another node holds it, and tells whether one finished after this one was asked for.
     */
    private RefreshCounts waitForOtherNodes() throws SQLException {
        long asked = Jdbc.query(connection, "SELECT " + dialect.nowMillis(), s -> { }, 1, r -> r.getLong(1)).get(0);
        Jdbc.update(connection, "INSERT INTO JN_REFRESH_RUN (EMS_ID, FINISHED_MS, CREATED, UPDATED, DELETED, UNCHANGED, SKIPPED)"
                + " VALUES (?, 0, 0, 0, 0, 0, 0) ON CONFLICT (EMS_ID) DO NOTHING", s -> s.setLong(1, emsId));
        List<long[]> row = Jdbc.query(connection, "SELECT FINISHED_MS, CREATED, UPDATED, DELETED, UNCHANGED, SKIPPED FROM JN_REFRESH_RUN"
                + " WHERE EMS_ID = ? FOR UPDATE", s -> s.setLong(1, emsId), 1,
                r -> new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)});
        long[] last = row.get(0);
        return last[0] >= asked ? new RefreshCounts(last[1], last[2], last[3], last[4], last[5]) : null;
    }

    @Override
    public java.util.Optional<RefreshCounts> finishedMeanwhile() {
        return java.util.Optional.ofNullable(finishedMeanwhile);
    }

    private boolean malformed(String kind, String ref, String... texts) {
        boolean bad = ref == null || ref.isBlank() || ref.length() > MAX_TEXT;
        for (String t : texts) {
            bad |= t != null && t.length() > MAX_TEXT;
        }
        if (bad) {
            skipped++;
            LOG.warn("Refresh of EMS {}: malformed {} '{}' skipped (empty reference or a text over {} characters)",
                    emsId, kind, ref == null ? "" : ref.substring(0, Math.min(ref.length(), 80)), MAX_TEXT);
        }
        return bad;
    }

    private static String raw(String raw) {
        return raw == null ? null : raw.length() > 64 ? raw.substring(0, 64) : raw;
    }

    @Override
    public void cluster(ClusterItem c) {
        seen++;
        if (malformed("cluster", c.emsRef(), c.name())) {
            return;
        }
        long hash = new ContentHash().add(c.name()).value();
        write(clusters, c.emsRef(), hash, (s, o) -> s.setString(o, c.name()), 1);
    }

    @Override
    public void host(HostItem h) {
        seen++;
        if (malformed("host", h.emsRef(), h.name(), h.clusterRef())) {
            return;
        }
        long hash = new ContentHash().add(h.name()).add(h.clusterRef()).add(h.cpuCount()).add(h.memoryBytes())
                .add(h.powerState()).add(raw(h.rawState())).value();
        write(hosts, h.emsRef(), hash, (s, o) -> {
            s.setString(o, h.name());
            setNullable(s, o + 1, h.clusterRef());
            s.setInt(o + 2, h.cpuCount());
            s.setLong(o + 3, h.memoryBytes());
            s.setString(o + 4, h.powerState().name());
            setNullable(s, o + 5, raw(h.rawState()));
        }, 6);
    }

    @Override
    public void vm(VmItem v) {
        seen++;
        String ips = String.join(",", v.ipAddresses());
        if (malformed(v.template() ? "template" : "VM", v.emsRef(), v.name(), v.hostRef(), v.guestOs())) {
            return;
        }
        if (ips.length() > 1024) {
            skipped++;
            LOG.warn("Refresh of EMS {}: VM '{}' skipped: its addresses exceed 1024 characters", emsId, v.emsRef());
            return;
        }
        long hash = new ContentHash().add(v.name()).add(v.template()).add(v.hostRef()).add(v.cpuCount()).add(v.memoryMb())
                .add(v.guestOs()).add(ips).add(v.powerState()).add(raw(v.rawState())).value();
        write(vms, v.emsRef(), hash, (s, o) -> {
            s.setString(o, v.name());
            s.setBoolean(o + 1, v.template());
            setNullable(s, o + 2, v.hostRef());
            s.setInt(o + 3, v.cpuCount());
            s.setLong(o + 4, v.memoryMb());
            setNullable(s, o + 5, v.guestOs());
            setNullable(s, o + 6, ips.isEmpty() ? null : ips);
            s.setString(o + 7, v.powerState().name());
            setNullable(s, o + 8, raw(v.rawState()));
        }, 9);
    }

    @Override
    public void datastore(DatastoreItem d) {
        seen++;
        if (malformed("datastore", d.emsRef(), d.name())) {
            return;
        }
        long hash = new ContentHash().add(d.name()).add(d.capacityBytes()).add(d.freeBytes()).value();
        write(datastores, d.emsRef(), hash, (s, o) -> {
            s.setString(o, d.name());
            s.setLong(o + 1, d.capacityBytes());
            s.setLong(o + 2, d.freeBytes());
        }, 3);
    }

    private interface Columns {
        void set(PreparedStatement statement, int offset) throws SQLException;
    }

    private void write(Table table, String ref, long hash, Columns columns, int count) {
        requireOpen();
        try {
            PreparedStatement statement = table.accept(ref, hash);
            if (statement != null) {
                columns.set(statement, table.offset(statement));
                table.add(statement, count, ref, hash);
            }
        } catch (SQLException e) {
            throw JdbcErrors.translate("writing the inventory", e);
        }
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private void requireOpen() {
        if (closed || committed) {
            throw new IllegalStateException("refresh already " + (committed ? "committed" : "closed"));
        }
    }

    @Override
    public long seen() {
        return seen;
    }

    @Override
    public long written() {
        long n = 0;
        for (Table t : List.of(clusters, hosts, vms, datastores)) {
            n += t.created + t.updated;
        }
        return n;
    }

    @Override
    public RefreshCounts commit() {
        requireOpen();
        long created = 0;
        long updated = 0;
        long deleted = 0;
        long unchanged = 0;
        try {
            if (fenceCheck != null) {
                fenceCheck.run(connection);
            }
            for (Table t : List.of(vms, hosts, clusters, datastores)) {
                t.deleteUnseen();
                created += t.created;
                updated += t.updated;
                deleted += t.deleted;
                unchanged += t.unchanged;
            }
            RefreshCounts counts = new RefreshCounts(created, updated, deleted, unchanged, skipped);
            if (dialect != Dialect.DERBY) {
                Jdbc.update(connection, "UPDATE JN_REFRESH_RUN SET FINISHED_MS = " + dialect.nowMillis()
                        + ", CREATED = ?, UPDATED = ?, DELETED = ?, UNCHANGED = ?, SKIPPED = ? WHERE EMS_ID = ?", s -> {
                            s.setLong(1, counts.created());
                            s.setLong(2, counts.updated());
                            s.setLong(3, counts.deleted());
                            s.setLong(4, counts.unchanged());
                            s.setLong(5, counts.skipped());
                            s.setLong(6, emsId);
                        });
            }
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw JdbcErrors.translate("committing the inventory", e);
        }
        return new RefreshCounts(created, updated, deleted, unchanged, skipped);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Table> tables = new ArrayList<>(List.of(clusters, hosts, vms, datastores));
        tables.forEach(Table::close);
        try {
            if (!committed) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.warn("Rolling back the refresh of EMS {} failed", emsId, e);
        } finally {
            try {
                connection.setAutoCommit(true);
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the refresh connection", e);
            }
        }
    }

}
