package io.junction.model.internal;

import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import io.junction.api.inventory.ClusterItem;
import io.junction.api.inventory.DatastoreItem;
import io.junction.api.inventory.HostItem;
import io.junction.api.inventory.InventoryRefresh;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.RefreshStatus;
import io.junction.api.inventory.VmItem;
import io.junction.api.inventory.VmQuery;
import io.junction.api.store.Fence;
import io.junction.api.store.InventoryStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link InventoryStore} in plain JDBC on the persistence unit's DataSource: a refresh streams
 * hundreds of thousands of rows in batches, which JPA's unit of work would hold in memory.
 */
@Component(service = InventoryStore.class)
public class JdbcInventoryStore implements InventoryStore {
    private static final String VM_COLUMNS = "EMS_REF, NAME, TEMPLATE, HOST_REF, CPU_COUNT, MEMORY_MB, GUEST_OS, IP_ADDRESSES, POWER_STATE, RAW_STATE";

    private final DataSource dataSource;
    private final Jdbc jdbc;

    @Activate
    public JdbcInventoryStore(@Reference(target = "(osgi.jndi.service.name=junction)") DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * {@code FROM table} for reading one EMS's rows, through the index that starts with EMS_ID.
     * A refresh keeps the rows it wrote locked until it commits. Scanning the table would wait on
     * those rows even when reading another EMS, while the index never leads to them; Derby picks a
     * table scan for small tables or after many changes, so the index is named.
     *
     * @param index {@code constraint=NAME} for a constraint's index, {@code index=NAME} for another
     */
    static String fromEms(String table, String index) {
        return " FROM " + table + " --DERBY-PROPERTIES " + index + "\n";
    }

    @Override
    public InventoryRefresh beginRefresh(long emsId) {
        return begin(emsId, null);
    }

    @Override
    public InventoryRefresh beginRefresh(Fence fence) {
        return begin(fence.emsId(), fence);
    }

    private InventoryRefresh begin(long emsId, Fence fence) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            return new JdbcInventoryRefresh(emsId, c, fence == null ? null : connection -> {
                JdbcNodeStore.check(connection, jdbc.dialect(), fence);
                return null;
            }, jdbc.dialect());
        } catch (SQLException e) {
            closeQuietly(c);
            throw JdbcErrors.translate("starting a refresh", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the original error is what matters
            }
        }
    }

    @Override
    public void recordRefresh(long emsId, RefreshStatus status) {
        jdbc.update("recording the refresh", "UPDATE JN_EMS SET LAST_REFRESH_AT = ?, LAST_REFRESH_STATUS = ?, LAST_REFRESH_DETAIL = ? WHERE ID = ?",
                s -> {
                    s.setTimestamp(1, status.at() == null ? null : Timestamp.from(status.at()));
                    s.setString(2, status.status());
                    String d = status.detail();
                    s.setString(3, d == null ? null : d.length() > 1024 ? d.substring(0, 1023) + "…" : d);
                    s.setLong(4, emsId);
                });
    }

    @Override
    public RefreshStatus lastRefresh(long emsId) {
        return jdbc.query("reading the last refresh", "SELECT LAST_REFRESH_AT, LAST_REFRESH_STATUS, LAST_REFRESH_DETAIL FROM JN_EMS WHERE ID = ?",
                s -> s.setLong(1, emsId), 1, r -> {
                    Timestamp at = r.getTimestamp(1);
                    return new RefreshStatus(at == null ? null : at.toInstant(), r.getString(2), r.getString(3));
                }).stream().findFirst().orElse(RefreshStatus.NEVER);
    }

    @Override
    public List<VmItem> vms(long emsId, VmQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + VM_COLUMNS + fromEms("JN_VM", "index=JN_VM_NAME_IX") + " WHERE EMS_ID = ? AND TEMPLATE = ?");
        String like = q.text() == null || q.text().isBlank() ? null : "%" + q.text().strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        if (like != null) {
            sql.append(" AND (LOWER(NAME) LIKE ? ESCAPE '\\' OR LOWER(EMS_REF) LIKE ? ESCAPE '\\')");
        }
        if (q.state() != null) {
            sql.append(" AND POWER_STATE = ?");
        }
        sql.append(" ORDER BY NAME, EMS_REF");
        return jdbc.query("listing VMs", sql.toString(), s -> {
            int i = 1;
            s.setLong(i++, emsId);
            s.setBoolean(i++, q.templates());
            if (like != null) {
                s.setString(i++, like);
                s.setString(i++, like);
            }
            if (q.state() != null) {
                s.setString(i, q.state().name());
            }
        }, q.limit(), JdbcInventoryStore::vm);
    }

    @Override
    public Optional<VmItem> findVm(long emsId, String refOrName) {
        List<VmItem> byRef = jdbc.query("finding a VM", "SELECT " + VM_COLUMNS + fromEms("JN_VM", "constraint=JN_VM_REF_UQ") + " WHERE EMS_ID = ? AND EMS_REF = ?",
                s -> {
                    s.setLong(1, emsId);
                    s.setString(2, refOrName);
                }, 1, JdbcInventoryStore::vm);
        if (!byRef.isEmpty()) {
            return Optional.of(byRef.get(0));
        }
        List<VmItem> byName = jdbc.query("finding a VM", "SELECT " + VM_COLUMNS + fromEms("JN_VM", "index=JN_VM_NAME_IX") + " WHERE EMS_ID = ? AND NAME = ?",
                s -> {
                    s.setLong(1, emsId);
                    s.setString(2, refOrName);
                }, 6, JdbcInventoryStore::vm);
        if (byName.size() > 1) {
            throw new InvalidInputException("several VMs are named " + ShownText.quote(refOrName) + " (references "
                    + String.join(", ", byName.stream().limit(5).map(VmItem::emsRef).toList())
                    + (byName.size() > 5 ? ", …" : "") + "); name one by its reference");
        }
        return byName.stream().findFirst();
    }

    @Override
    public List<HostItem> hosts(long emsId) {
        return jdbc.query("listing hosts", "SELECT EMS_REF, NAME, CLUSTER_REF, CPU_COUNT, MEMORY_BYTES, POWER_STATE, RAW_STATE"
                        + fromEms("JN_HOST", "constraint=JN_HOST_REF_UQ") + " WHERE EMS_ID = ? ORDER BY NAME",
                s -> s.setLong(1, emsId), 0, r -> new HostItem(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                        r.getLong(5), PowerState.valueOf(r.getString(6)), r.getString(7)));
    }

    @Override
    public List<ClusterItem> clusters(long emsId) {
        return jdbc.query("listing clusters", "SELECT EMS_REF, NAME" + fromEms("JN_CLUSTER", "constraint=JN_CLUSTER_REF_UQ") + " WHERE EMS_ID = ? ORDER BY NAME",
                s -> s.setLong(1, emsId), 0, r -> new ClusterItem(r.getString(1), r.getString(2)));
    }

    @Override
    public List<DatastoreItem> datastores(long emsId) {
        return jdbc.query("listing datastores", "SELECT EMS_REF, NAME, CAPACITY_BYTES, FREE_BYTES"
                        + fromEms("JN_DATASTORE", "constraint=JN_DATASTORE_REF_UQ") + " WHERE EMS_ID = ? ORDER BY NAME",
                s -> s.setLong(1, emsId), 0, r -> new DatastoreItem(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)));
    }

    @Override
    public long[] counts(long emsId) {
        String sql = "SELECT (SELECT COUNT(*)" + fromEms("JN_CLUSTER", "constraint=JN_CLUSTER_REF_UQ") + " WHERE EMS_ID = ?),"
                + " (SELECT COUNT(*)" + fromEms("JN_HOST", "constraint=JN_HOST_REF_UQ") + " WHERE EMS_ID = ?),"
                + " (SELECT COUNT(*)" + fromEms("JN_VM", "constraint=JN_VM_REF_UQ") + " WHERE EMS_ID = ? AND TEMPLATE = FALSE),"
                + " (SELECT COUNT(*)" + fromEms("JN_VM", "constraint=JN_VM_REF_UQ") + " WHERE EMS_ID = ? AND TEMPLATE = TRUE),"
                + " (SELECT COUNT(*)" + fromEms("JN_DATASTORE", "constraint=JN_DATASTORE_REF_UQ") + " WHERE EMS_ID = ?)" + jdbc.dialect().fromNoTable();
        return jdbc.query("counting the inventory", sql, s -> {
            for (int i = 1; i <= 5; i++) {
                s.setLong(i, emsId);
            }
        }, 1, r -> new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)}).get(0);
    }

    @Override
    public void recordPower(long emsId, String vmRef, PowerState state, String rawState) {
        // content_hash 0: the next refresh rewrites the row with the provider's own view.
        jdbc.update("storing the power state", "UPDATE JN_VM SET POWER_STATE = ?, RAW_STATE = ?, CONTENT_HASH = 0, UPDATED = ? WHERE EMS_ID = ? AND EMS_REF = ?", s -> {
            s.setString(1, state.name());
            s.setString(2, rawState == null ? null : rawState.length() > 64 ? rawState.substring(0, 64) : rawState);
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            s.setLong(4, emsId);
            s.setString(5, vmRef);
        });
    }

    private static VmItem vm(ResultSet r) throws SQLException {
        String ips = r.getString(8);
        return new VmItem(r.getString(1), r.getString(2), r.getBoolean(3), r.getString(4), r.getInt(5), r.getLong(6),
                r.getString(7), ips == null ? List.of() : Arrays.asList(ips.split(",")), PowerState.valueOf(r.getString(9)), r.getString(10));
    }
}
