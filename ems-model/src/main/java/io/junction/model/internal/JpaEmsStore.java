package io.junction.model.internal;

import io.junction.api.ConflictException;
import io.junction.api.Connection;
import io.junction.api.ConnectionSpec;
import io.junction.api.Credential;
import io.junction.api.CredentialSpec;
import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.JunctionException;
import io.junction.api.NotFoundException;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.RoleSpec;
import io.junction.api.Secret;
import io.junction.api.ShownText;
import io.junction.api.store.EmsChangeListener;
import io.junction.api.store.EmsStore;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.persistence.EntityManager;
import org.apache.aries.jpa.template.EmFunction;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EmsStore} on the {@code junction} persistence unit. Input is checked here, so that every
 * caller gets the same one-line errors; the schema's constraints back the checks up.
 */
@Component(service = EmsStore.class, enabled = false) // enabled by SecretKeys once the key file is checked
public class JpaEmsStore implements EmsStore {
    private static final Logger LOG = LoggerFactory.getLogger(JpaEmsStore.class);

    @Reference(target = "(osgi.unit.name=junction)")
    private JpaTemplate jpa;

    @Reference
    private ProviderTypes providerTypes;

    @Reference
    private SecretKeys secretKeys;

    /**
     * Held as service objects, taken only when there is something to tell: a listener (the
     * router) depends on this store, so binding it at activation would be a cycle.
     */
    private final List<ComponentServiceObjects<EmsChangeListener>> listeners = new CopyOnWriteArrayList<>();

    private final Clock clock = Clock.systemUTC();
    private SecretCipher cipher;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ComponentServiceObjects<EmsChangeListener> listener) {
        listeners.add(listener);
    }

    void removeListener(ComponentServiceObjects<EmsChangeListener> listener) {
        listeners.remove(listener);
    }

    @Activate
    void activate() {
        cipher = secretKeys.cipher();
    }

    // ---- EMS ----------------------------------------------------------------------------

    @Override
    public Ems createEms(String type, String name) {
        ProviderType providerType = providerTypes.require(type == null ? "" : type.strip().toLowerCase(Locale.ROOT));
        Ems.checkName(name);
        return tx(em -> {
            requireFreeName(em, name);
            EmsEntity e = new EmsEntity();
            e.name = name;
            e.type = providerType.id();
            e.created = now();
            em.persist(e);
            em.flush();
            return e.toRecord();
        }, Ems::id);
    }

    @Override
    public Ems renameEms(long emsId, String newName) {
        Ems.checkName(newName);
        return tx(em -> {
            EmsEntity e = ems(em, emsId);
            if (!e.name.equals(newName)) {
                requireFreeName(em, newName);
                e.name = newName;
                em.flush();
            }
            return e.toRecord();
        }, Ems::id);
    }

    @Override
    public void removeEms(long emsId) {
        tx(em -> {
            em.remove(ems(em, emsId));
            return emsId;
        }, id -> id);
    }

    @Override
    public List<Ems> listEms() {
        return tx(em -> em.createNamedQuery("Ems.all", EmsEntity.class).getResultList().stream().map(EmsEntity::toRecord).toList());
    }

    @Override
    public Optional<Ems> findEms(long emsId) {
        return tx(em -> Optional.ofNullable(em.find(EmsEntity.class, emsId)).map(EmsEntity::toRecord));
    }

    @Override
    public Optional<Ems> findEmsByName(String name) {
        return tx(em -> em.createNamedQuery("Ems.byName", EmsEntity.class).setParameter("name", name)
                .getResultStream().findFirst().map(EmsEntity::toRecord));
    }

    // ---- connections --------------------------------------------------------------------

    @Override
    public Connection addConnection(long emsId, ConnectionSpec spec) {
        return tx(em -> {
            EmsEntity ems = ems(em, emsId);
            RoleSpec role = roleOf(ems, spec.role());
            ConnectionEntity c = new ConnectionEntity();
            c.emsId = emsId;
            c.created = now();
            apply(c, spec, role);
            requireFreeEndpoint(em, c, ems);
            List<ConnectionEntity> sameRole = new ArrayList<>(ofRole(em, emsId, c.role));
            int place = spec.priority() != null ? spec.priority() : spec.defaultForRole() ? 1 : sameRole.size() + 1;
            sameRole.add(Math.min(place, sameRole.size() + 1) - 1, c);
            renumber(sameRole);
            em.persist(c);
            em.flush();
            return c.toRecord();
        }, Connection::emsId);
    }

    @Override
    public Connection updateConnection(long connectionId, ConnectionSpec spec) {
        return tx(em -> {
            ConnectionEntity c = connection(em, connectionId);
            EmsEntity ems = ems(em, c.emsId);
            if (!c.role.equals(spec.role())) {
                throw new InvalidInputException("a connection's role cannot change (" + c.role + " → " + spec.role()
                        + "); add a new connection instead");
            }
            apply(c, spec, roleOf(ems, spec.role()));
            requireFreeEndpoint(em, c, ems);
            if (spec.priority() != null || spec.defaultForRole()) {
                moveTo(em, c, spec.priority() != null ? spec.priority() : 1);
            }
            em.flush();
            return c.toRecord();
        }, Connection::emsId);
    }

    @Override
    public Connection setPriority(long connectionId, int priority) {
        ConnectionSpec.checkPriority(priority);
        return tx(em -> {
            ConnectionEntity c = connection(em, connectionId);
            moveTo(em, c, priority);
            em.flush();
            return c.toRecord();
        }, Connection::emsId);
    }

    /** Moves a connection to a place among its role's connections (past the last means last); the others keep their order. */
    private static void moveTo(EntityManager em, ConnectionEntity c, int place) {
        List<ConnectionEntity> sameRole = new ArrayList<>(ofRole(em, c.emsId, c.role));
        sameRole.removeIf(other -> other.id.equals(c.id));
        sameRole.add(Math.min(place, sameRole.size() + 1) - 1, c);
        renumber(sameRole);
    }

    /** Priorities 1, 2, 3… in the list's order: the first is the role's default, and no place is left empty. */
    private static void renumber(List<ConnectionEntity> sameRole) {
        for (int i = 0; i < sameRole.size(); i++) {
            if (sameRole.get(i).priority != i + 1) {
                sameRole.get(i).priority = i + 1;
            }
        }
    }

    @Override
    public void removeConnection(long connectionId) {
        tx(em -> {
            ConnectionEntity c = connection(em, connectionId);
            em.createNamedQuery("Authentication.ofConnection", AuthenticationEntity.class)
                    .setParameter("connection", connectionId).getResultList().forEach(em::remove);
            em.remove(c);
            em.flush();
            // The others close the gap: the role keeps a default (priority 1) while it has connections.
            renumber(ofRole(em, c.emsId, c.role));
            return c.emsId;
        }, id -> id);
    }

    @Override
    public List<Connection> connections(long emsId) {
        return tx(em -> em.createNamedQuery("Connection.ofEms", ConnectionEntity.class).setParameter("ems", emsId)
                .getResultList().stream().map(ConnectionEntity::toRecord).toList());
    }

    @Override
    public Optional<Connection> findConnection(long connectionId) {
        return tx(em -> Optional.ofNullable(em.find(ConnectionEntity.class, connectionId)).map(ConnectionEntity::toRecord));
    }

    // ---- credentials --------------------------------------------------------------------

    @Override
    public Credential setCredential(long emsId, Long connectionId, CredentialSpec spec) {
        byte[] sealed = cipher.encrypt(spec.secret());
        return tx(em -> {
            ems(em, emsId);
            AuthenticationEntity a;
            if (connectionId != null) {
                ConnectionEntity c = connection(em, connectionId);
                if (c.emsId != emsId) {
                    throw new InvalidInputException("connection " + connectionId + " does not belong to EMS " + emsId);
                }
                a = em.createNamedQuery("Authentication.ofConnection", AuthenticationEntity.class)
                        .setParameter("connection", connectionId).getResultStream().findFirst().orElse(null);
            } else {
                a = em.createNamedQuery("Authentication.emsLevel", AuthenticationEntity.class)
                        .setParameter("ems", emsId).setParameter("kind", spec.kind().name())
                        .setParameter("principal", spec.user()).getResultStream().findFirst().orElse(null);
            }
            if (a == null) {
                a = new AuthenticationEntity();
                a.emsId = emsId;
                a.connectionId = connectionId;
                em.persist(a);
            }
            a.kind = spec.kind().name();
            a.principal = spec.user();
            a.secret = sealed;
            // A new secret has not been checked yet.
            a.status = null;
            a.checkedAt = null;
            a.statusDetail = null;
            a.updated = now();
            em.flush();
            return a.toRecord();
        }, Credential::emsId);
    }

    @Override
    public void removeCredential(long credentialId) {
        tx(em -> {
            AuthenticationEntity a = credential(em, credentialId);
            em.remove(a);
            return a.emsId;
        }, id -> id);
    }

    @Override
    public List<Credential> credentials(long emsId) {
        return tx(em -> em.createNamedQuery("Authentication.ofEms", AuthenticationEntity.class).setParameter("ems", emsId)
                .getResultList().stream().map(AuthenticationEntity::toRecord)
                .sorted((a, b) -> Boolean.compare(a.emsLevel(), b.emsLevel())).toList());
    }

    @Override
    public Optional<Credential> credentialOf(long connectionId) {
        return tx(em -> em.createNamedQuery("Authentication.ofConnection", AuthenticationEntity.class)
                .setParameter("connection", connectionId).getResultStream().findFirst().map(AuthenticationEntity::toRecord));
    }

    @Override
    public Credential recordCheck(long credentialId, String status, String detail) {
        // Not a change of what binds: listeners are not told, so pooled handles stay.
        return tx(em -> {
            AuthenticationEntity a = credential(em, credentialId);
            a.status = status;
            a.statusDetail = detail == null || detail.isEmpty() ? null : truncate(detail, 1024);
            a.checkedAt = now();
            return a.toRecord();
        });
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    @Override
    public Secret revealSecret(long credentialId) {
        byte[] sealed = tx(em -> credential(em, credentialId).secret);
        return cipher.decrypt(sealed);
    }

    // ---- helpers ------------------------------------------------------------------------

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private RoleSpec roleOf(EmsEntity ems, String role) {
        ProviderType type = providerTypes.find(ems.type).orElseThrow(() -> new InvalidInputException(
                "provider type '" + ems.type + "' of EMS '" + ems.name + "' is not installed; install its provider bundle first"));
        return type.requireRole(role);
    }

    private static void apply(ConnectionEntity c, ConnectionSpec spec, RoleSpec role) {
        String scheme = spec.scheme() == null ? role.defaultScheme() : spec.scheme();
        if (!role.schemes().contains(scheme)) {
            throw new InvalidInputException("scheme " + ShownText.quote(scheme) + " is not valid for role '" + role.role()
                    + "'; use one of " + String.join(", ", role.schemes().stream().sorted().toList()));
        }
        if (spec.allowBasicOverHttp() && !scheme.equals("http")) {
            throw new InvalidInputException("allowing Basic authentication over http applies only to scheme http, not "
                    + scheme + "; leave --allow-basic-over-http out");
        }
        c.role = role.role();
        c.host = spec.host();
        c.port = spec.port() == null ? role.defaultPort() : spec.port();
        c.scheme = scheme;
        c.path = spec.path() == null ? "" : spec.path();
        c.verifyTls = spec.verifyTls();
        c.caCertificate = spec.caCertificate();
        c.discovered = spec.discovered();
        c.allowBasicOverHttp = spec.allowBasicOverHttp();
    }

    private static void requireFreeName(EntityManager em, String name) {
        if (!em.createNamedQuery("Ems.byName", EmsEntity.class).setParameter("name", name).getResultList().isEmpty()) {
            throw new ConflictException("an EMS named " + ShownText.quote(name) + " already exists");
        }
    }

    private static void requireFreeEndpoint(EntityManager em, ConnectionEntity c, EmsEntity ems) {
        boolean taken = em.createNamedQuery("Connection.endpoint", ConnectionEntity.class)
                .setParameter("ems", c.emsId).setParameter("role", c.role).setParameter("host", c.host)
                .setParameter("port", c.port).getResultStream().anyMatch(other -> !other.id.equals(c.id));
        if (taken) {
            throw new ConflictException("EMS '" + ems.name + "' already has a " + c.role + " connection to "
                    + Connection.address(c.host, c.port));
        }
    }

    private static List<ConnectionEntity> ofRole(EntityManager em, long emsId, String role) {
        return em.createNamedQuery("Connection.ofRole", ConnectionEntity.class).setParameter("ems", emsId)
                .setParameter("role", role).getResultList();
    }

    private static EmsEntity ems(EntityManager em, long id) {
        EmsEntity e = em.find(EmsEntity.class, id);
        if (e == null) {
            throw new NotFoundException("no EMS with id " + id);
        }
        return e;
    }

    private static ConnectionEntity connection(EntityManager em, long id) {
        ConnectionEntity c = em.find(ConnectionEntity.class, id);
        if (c == null) {
            throw new NotFoundException("no connection with id " + id);
        }
        return c;
    }

    private static AuthenticationEntity credential(EntityManager em, long id) {
        AuthenticationEntity a = em.find(AuthenticationEntity.class, id);
        if (a == null) {
            throw new NotFoundException("no credential with id " + id);
        }
        return a;
    }

    /**
     * Runs one transaction and turns whatever escapes it into a Junction error: our own errors
     * pass through, constraint violations become {@link ConflictException}, anything else is
     * logged with its trace and reported in one line.
     */
    private <T> T tx(EmFunction<T> work, java.util.function.ToLongFunction<T> changedEms) {
        T result = tx(work);
        long emsId = changedEms.applyAsLong(result);
        for (ComponentServiceObjects<EmsChangeListener> objects : listeners) {
            EmsChangeListener listener = objects.getService();
            if (listener == null) {
                continue;
            }
            try {
                listener.emsChanged(emsId);
            } catch (RuntimeException e) {
                LOG.warn("EMS change listener {} failed", listener, e);
            } finally {
                objects.ungetService(listener);
            }
        }
        return result;
    }

    private <T> T tx(EmFunction<T> work) {
        try {
            return jpa.txExpr(TransactionType.Required, work);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JunctionException je) {
                    throw je;
                }
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                    LOG.debug("Constraint violation", e);
                    throw new ConflictException("the change breaks a rule of the stored data: " + firstLine(sql.getMessage()));
                }
            }
            LOG.error("Storage operation failed", e);
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new JunctionException("storage error: " + firstLine(String.valueOf(root.getMessage())) + " (details in the log)", e);
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
