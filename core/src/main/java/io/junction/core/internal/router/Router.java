package io.junction.core.internal.router;

import io.junction.api.AuthenticationException;
import io.junction.api.CapabilityUnavailableException;
import io.junction.api.Connection;
import io.junction.api.Credential;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.ProviderType;
import io.junction.api.ProviderTypes;
import io.junction.api.RoleSpec;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import io.junction.api.service.Capability;
import io.junction.api.service.CapabilityBinding;
import io.junction.api.service.CapabilityLease;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.ConnectionCheck;
import io.junction.api.service.ConnectionHealth;
import io.junction.api.service.DiscoveryCapability;
import io.junction.api.service.EmsService;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceHandle;
import io.junction.api.store.EmsChangeListener;
import io.junction.api.store.EmsStore;
import io.junction.core.internal.pools.BackgroundPools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capability router: for (EMS, capability) it takes the best service registered for (the
 * EMS's type, the capability), the EMS's default connection of that service's role, and that
 * connection's credential, and calls through a pooled handle. Services come and go at any time:
 * a service that goes is drained (its running calls may finish, within a bound) before its
 * handles are closed, and a call that finds no service fails at once.
 *
 * <p>Several connections of one role are tried by priority: a call uses the first one not found
 * unreachable. A call that fails because its server does not answer marks that connection down, so
 * the next call goes to the next one; a read (inventory, discovery) is retried once on it at once,
 * a power action never (it may have happened). Down connections are probed in the background, on a
 * small bounded pool and less often each time, and calls return to them when they answer.
 */
@Component(service = {CapabilityRouter.class, EmsChangeListener.class}, configurationPid = RouterConfiguration.PID)
@Designate(ocd = RouterConfiguration.class)
public class Router implements CapabilityRouter, EmsChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Handles run their background work (event polls, deliveries) on its shared scheduler. */
    private final BackgroundPools pools;
    private static final Set<String> KNOWN_CAPABILITIES = Set.of("inventory", "power", "events", "discovery");

    private final List<ServiceEntry> services = new CopyOnWriteArrayList<>();
    private final ConcurrentMap<Long, Stamped> views = new ConcurrentHashMap<>();

    /**
     * A view with the count of the EMS's changes it was read after. It counts only while that count
     * is still the current one: a view read just before a change, and put in the cache just after
     * it, is never handed out (a call would otherwise go out with the connection or credential
     * from before the change, and read the secret from after it).
     */
    private record Stamped(EmsView view, long stamp) {
    }
    /** Counts each EMS's store changes, so that a view read while a change was being made is not cached. */
    private final ConcurrentMap<Long, AtomicLong> changes = new ConcurrentHashMap<>();
    /** Last failure per EMS and capability, shown as {@code failing} until a call succeeds. */
    private final ConcurrentMap<String, String> lastErrors = new ConcurrentHashMap<>();
    private final ClassValue<String> capabilityNames = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected String computeValue(Class<?> type) {
            return Capability.nameOf((Class<? extends Capability>) type);
        }
    };

    /** Connections found unreachable, by id; empty on the hot path unless a server went away. */
    private final ConcurrentMap<Long, DownConnection> down = new ConcurrentHashMap<>();
    /** Probes down connections: two threads however many are down, so a dead data centre costs no more. */
    private final ScheduledExecutorService probes;

    private final EmsStore store;
    private final ProviderTypes providerTypes;
    private final Clock clock = Clock.systemUTC();
    private volatile RouterConfiguration config;

    @Activate
    public Router(@Reference EmsStore store, @Reference ProviderTypes providerTypes, @Reference BackgroundPools pools,
                  RouterConfiguration config) {
        this.pools = pools;
        this.store = store;
        this.providerTypes = providerTypes;
        this.config = config;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "junction-router-probe");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.probes = pool;
    }

    @Modified
    void modified(RouterConfiguration config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        probes.shutdownNow();
        down.clear();
        for (ServiceEntry entry : services) {
            entry.handles.values().forEach(HandleEntry::retire);
        }
        services.clear();
        views.clear();
    }

    // ---- services come and go -------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindService(EmsService service, ServiceReference<EmsService> ref) {
        ServiceEntry entry = new ServiceEntry(service, ref);
        services.add(entry);
        LOG.info("Bound {} for capabilities {}", entry, entry.capabilities);
    }

    void unbindService(EmsService service, ServiceReference<EmsService> ref) {
        Long id = (Long) ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
        for (ServiceEntry entry : services) {
            if (entry.serviceId == id) {
                services.remove(entry);
                retire(entry);
            }
        }
    }

    private void retire(ServiceEntry entry) {
        try {
            int left = entry.drain(config.drainTimeoutMillis());
            if (left > 0) {
                LOG.warn("{} went away with {} calls still running after {} ms; closing its handles anyway",
                        entry, left, config.drainTimeoutMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        entry.handles.values().forEach(HandleEntry::retire);
        entry.handles.clear();
        LOG.info("Unbound {}", entry);
    }

    // ---- the store tells what changed --------------------------------------------------------

    @Override
    public void emsChanged(long emsId) {
        // View first: a call that loaded the old view notices (see route) and starts over.
        changesOf(emsId).incrementAndGet();
        views.remove(emsId);
        // A changed connection (another host, another credential) gets a fresh chance.
        if (!down.isEmpty()) {
            down.values().removeIf(d -> d.emsId() == emsId);
        }
        for (ServiceEntry entry : services) {
            entry.handles.values().removeIf(h -> {
                if (h.emsId == emsId) {
                    h.retire();
                    return true;
                }
                return false;
            });
        }
    }

    private EmsView view(long emsId) {
        while (true) {
            EmsView cached = cachedView(emsId);
            if (cached != null) {
                return cached;
            }
            AtomicLong counter = changesOf(emsId);
            long before = counter.get();
            Ems ems = store.findEms(emsId).orElseThrow(() -> new io.junction.api.NotFoundException("no EMS with id " + emsId));
            Stamped read = new Stamped(EmsView.of(ems, store.connections(emsId), store.credentials(emsId)), before);
            Stamped raced = views.putIfAbsent(emsId, read);
            if (raced != null && raced.stamp() == counter.get()) {
                return raced.view();
            }
            if (raced == null && counter.get() == before) {
                return read.view();
            }
            // A change was made while a view was read: it may hold the data from before it.
            views.remove(emsId, raced == null ? read : raced);
        }
    }

    /** The cached view of the EMS if no change was made since it was read, else null. */
    private EmsView cachedView(long emsId) {
        Stamped s = views.get(emsId);
        return s != null && s.stamp() == changesOf(emsId).get() ? s.view() : null;
    }

    private AtomicLong changesOf(long emsId) {
        return changes.computeIfAbsent(emsId, id -> new AtomicLong());
    }

    /**
     * Whether a handle made from an older view of the EMS still fits the current one: the same
     * connections of the EMS, unchanged, and the same credential (by id, user and when its secret
     * was set; a recorded check does not change what a handle was opened with).
     */
    private boolean stillFits(HandleEntry handleEntry, EmsView current, Connection connection) {
        EmsView made = handleEntry.view;
        if (made == null || made == current) {
            return true;
        }
        Optional<Connection> then = made.connections().stream().filter(c -> c.id() == connection.id()).findFirst();
        if (then.isEmpty() || !then.get().equals(connection)) {
            return false;
        }
        // A service may have opened the handle with another connection of the EMS in mind (Nova
        // takes its tokens from the identity endpoint): any change among them makes it stale.
        if (!Set.copyOf(made.connections()).equals(Set.copyOf(current.connections()))) {
            return false;
        }
        Optional<Credential> before = credentialFor(made, then.get());
        Optional<Credential> now = credentialFor(current, connection);
        return before.isPresent() && now.isPresent() && before.get().id() == now.get().id()
                && before.get().updated().equals(now.get().updated()) && before.get().user().equals(now.get().user());
    }

    // ---- routing ----------------------------------------------------------------------------

    private Optional<ServiceEntry> best(String type, String capability) {
        ServiceEntry best = null;
        for (ServiceEntry entry : services) {
            if (entry.serves(type, capability) && (best == null || entry.betterThan(best))) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<ServiceEntry> bestForRole(String type, String role) {
        ServiceEntry best = null;
        for (ServiceEntry entry : services) {
            if (entry.usesRole(type, role) && (best == null || entry.betterThan(best))) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public <C extends Capability> CapabilityLease<C> route(long emsId, Class<C> capability) {
        String name = capabilityNames.get(capability);
        // A few rounds at most: each retry means a service or the EMS changed under this call.
        for (int attempt = 0; attempt < 5; attempt++) {
            EmsView view = view(emsId);
            Ems ems = view.ems();
            ServiceEntry entry = best(ems.type(), name).orElseThrow(() -> noService(ems, name));
            if (!entry.enter()) {
                continue;
            }
            boolean leased = false;
            try {
                Connection connection = pick(view, entry.role);
                if (connection == null) {
                    throw noConnection(ems, entry.role, name);
                }
                Credential credential = credentialFor(view, connection).orElseThrow(() -> noCredential(ems, connection));
                HandleEntry handleEntry = entry.handles.computeIfAbsent(connection.id(), id -> new HandleEntry(emsId, id, view));
                if (!stillFits(handleEntry, view, connection)) {
                    // Made from a view of the EMS before its connection or credential changed: stale.
                    if (cachedView(emsId) == view && entry.handles.remove(connection.id(), handleEntry)) {
                        handleEntry.retire();
                    }
                    continue;
                }
                ServiceHandle handle = handleEntry.acquire(() -> open(entry, view, connection, credential));
                if (handle == null) {
                    entry.handles.remove(connection.id(), handleEntry);
                    continue;
                }
                EmsView current = cachedView(emsId);
                if (current != view && (current == null || !stillFits(handleEntry, current, connection))) {
                    // The EMS changed while this call was binding: the entry was made from the old view and
                    // must not stay in the pool for the calls that come with the new one.
                    if (entry.handles.remove(connection.id(), handleEntry)) {
                        handleEntry.retire();
                    }
                    handleEntry.release();
                    continue;
                }
                C target;
                try {
                    target = handle.capability(capability).orElseThrow(() -> new CapabilityUnavailableException(
                            "service " + entry.name + " declares " + name + " but its handle does not offer it"));
                } catch (RuntimeException e) {
                    handleEntry.release();
                    throw e;
                }
                leased = true;
                return new Lease<>(target, connection, entry, handleEntry);
            } catch (RuntimeException e) {
                recordFailure(emsId, name, e);
                throw e;
            } finally {
                if (!leased) {
                    entry.leave();
                }
            }
        }
        throw new CapabilityUnavailableException("the " + name + " service of EMS " + emsId
                + " kept changing while binding; try again");
    }

    @Override
    public <C extends Capability, R> R call(long emsId, Class<C> capability, Function<? super C, R> work) {
        String name = capabilityNames.get(capability);
        for (int attempt = 0; ; attempt++) {
            Connection used = null;
            try (CapabilityLease<C> lease = route(emsId, capability)) {
                used = lease.connection();
                R result = work.apply(lease.capability());
                if (!lastErrors.isEmpty()) {
                    // Only builds the key when some capability is failing: this is every call's path.
                    lastErrors.remove(key(emsId, name));
                }
                return result;
            } catch (UnreachableException e) {
                if (used == null) {
                    // Opening the handle failed, maybe on another server (Nova takes its token from
                    // Keystone): nothing says which connection is down.
                    recordFailure(emsId, name, e);
                    throw e;
                }
                Connection standby = markDown(emsId, used, e.getMessage());
                if (standby != null && attempt == 0 && (capability == InventoryCapability.class || capability == DiscoveryCapability.class)) {
                    LOG.warn("{} of EMS {} failed on {} ({}); trying the standby {} once", name, emsId, used.address(),
                            e.getMessage(), standby.address());
                    continue;
                }
                recordFailure(emsId, name, e);
                if (standby != null && capability == PowerCapability.class) {
                    throw new UnreachableException(e.getMessage() + "; the power action was not retried (it may not be repeated"
                            + " safely): the next call will use the standby " + standby.role() + " server " + standby.address(), e);
                }
                throw e;
            } catch (RuntimeException e) {
                recordFailure(emsId, name, e);
                throw e;
            }
        }
    }

    // ---- failover between the connections of one role ------------------------------------------

    @Override
    public void unreachable(long emsId, Connection connection, UnreachableException failure) {
        markDown(emsId, connection, failure.getMessage());
    }

    /**
     * The connection a call uses for a role: the first by priority that is not down; when all are down,
     * the first (a server that came back before its probe did is found by the call). No sorting and
     * no allocation while nothing is down.
     */
    private Connection pick(EmsView view, String role) {
        List<Connection> ordered = view.ofRole(role);
        if (ordered.isEmpty()) {
            return null;
        }
        Connection first = ordered.get(0);
        if (down.isEmpty()) {
            return first;
        }
        for (int i = 0; i < ordered.size(); i++) {
            Connection c = ordered.get(i);
            if (!down.containsKey(c.id())) {
                return c;
            }
        }
        return first;
    }

    /**
     * Marks a connection down (probing it from now on) and says which connection of its role the next
     * call will use instead, or {@code null} when there is none up.
     */
    private Connection markDown(long emsId, Connection connection, String reason) {
        DownConnection before = down.putIfAbsent(connection.id(), new DownConnection(emsId, connection, reason, clock.instant(), 0));
        EmsView view = cachedView(emsId);
        Connection next = view == null ? null : pick(view, connection.role());
        Connection standby = next == null || next.id() == connection.id() ? null : next;
        if (before == null) {
            LOG.warn("The {} server {} (connection {}) of EMS {} does not answer ({}); {}; probing it from now on",
                    connection.role(), connection.address(), connection.id(), emsId, reason,
                    standby == null ? "no standby of its role is up" : "calls go to the standby " + standby.address());
            scheduleProbe(connection.id(), config.probeIntervalMillis());
        }
        return standby;
    }

    private void markUp(long connectionId) {
        DownConnection was = down.remove(connectionId);
        if (was != null) {
            LOG.info("The {} server {} (connection {}) of EMS {} answers again; calls return to it by priority",
                    was.connection().role(), was.connection().address(), connectionId, was.emsId());
        }
    }

    private void scheduleProbe(long connectionId, long delayMillis) {
        try {
            probes.schedule(() -> probe(connectionId, delayMillis), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The router is going away: nothing is routed any more.
            down.remove(connectionId);
        }
    }

    /** Checks a down connection with a handle of its own (not pooled), as ems:verify would, and reschedules itself while it fails. */
    private void probe(long connectionId, long delayMillis) {
        DownConnection d = down.get(connectionId);
        if (d == null) {
            return;
        }
        String failure;
        try {
            EmsView view = view(d.emsId());
            Connection connection = null;
            for (Connection c : view.connections()) {
                if (c.id() == connectionId) {
                    connection = c;
                }
            }
            Optional<ServiceEntry> service = connection == null ? Optional.empty() : bestForRole(view.ems().type(), connection.role());
            Optional<Credential> credential = connection == null ? Optional.empty() : credentialFor(view, connection);
            if (service.isEmpty() || credential.isEmpty()) {
                // Removed, or nothing to probe it with: the calls say what is missing.
                down.remove(connectionId);
                return;
            }
            ServiceEntry entry = service.get();
            if (!entry.enter()) {
                scheduleProbe(connectionId, delayMillis);
                return;
            }
            try (ServiceHandle handle = open(entry, view, connection, credential.get())) {
                handle.verify();
            } finally {
                entry.leave();
            }
            markUp(connectionId);
            return;
        } catch (UnreachableException e) {
            failure = e.getMessage();
        } catch (io.junction.api.NotFoundException e) {
            down.remove(connectionId);
            return;
        } catch (RuntimeException e) {
            // It answered, if only to refuse (a wrong password, an untrusted certificate): it is
            // reachable, and the calls that use it again say what is wrong.
            LOG.debug("Probing connection {} got an answer: {}", connectionId, e.getMessage());
            markUp(connectionId);
            return;
        }
        String why = failure;
        if (down.computeIfPresent(connectionId, (id, x) -> x.probedAgain(why)) != null) {
            scheduleProbe(connectionId, Math.min(delayMillis * 2, Math.max(config.probeMaxIntervalMillis(), 1)));
        }
    }

    private void recordFailure(long emsId, String capability, RuntimeException e) {
        if (e instanceof UnreachableException || e instanceof AuthenticationException || e instanceof TlsTrustException) {
            lastErrors.put(key(emsId, capability), String.valueOf(e.getMessage()));
        }
    }

    private static String key(long emsId, String capability) {
        return emsId + "/" + capability;
    }

    /**
     * The connection's own credential; a discovered connection without one uses the credential of
     * the connection that discovered it (OpenStack's compute endpoint takes the identity account).
     */
    private Optional<Credential> credentialFor(EmsView view, Connection connection) {
        Optional<Credential> own = view.credentialOf(connection);
        if (own.isPresent()) {
            return own;
        }
        if (!connection.discovered()) {
            // A standby without a credential of its own shares its role's: the first by priority that has one.
            List<Connection> ofRole = view.ofRole(connection.role());
            for (int i = 0; i < ofRole.size(); i++) {
                Optional<Credential> shared = view.credentialOf(ofRole.get(i));
                if (shared.isPresent()) {
                    return shared;
                }
            }
            return Optional.empty();
        }
        return providerTypes.find(view.ems().type()).flatMap(t -> t.role(connection.role())).map(RoleSpec::discoveredBy)
                .flatMap(view::connectionFor).flatMap(view::credentialOf);
    }

    private ServiceHandle open(ServiceEntry entry, EmsView view, Connection connection, Credential credential) {
        RouterConfiguration c = config;
        Ems ems = view.ems();
        ServiceContext context = new ServiceContext(ems, connection, view.connections(), credential,
                () -> store.revealSecret(credential.id()), clock, Duration.ofMillis(c.connectTimeoutMillis()),
                Duration.ofMillis(c.operationTimeoutMillis()), pools.scheduler());
        ServiceHandle handle = entry.service.open(context);
        if (handle == null) {
            throw new JunctionException("service " + entry.name + " opened no handle for connection " + connection.id());
        }
        LOG.debug("Opened a {} handle on connection {} ({}) of EMS '{}'", entry.name, connection.id(), connection.address(), ems.name());
        return handle;
    }

    private CapabilityUnavailableException noService(Ems ems, String capability) {
        String installed = providerTypes.find(ems.type()).isPresent() ? "" : "; provider type '" + ems.type() + "' is not installed";
        return new CapabilityUnavailableException("no service for " + ems.type() + "/" + capability + installed
                + " (install or start its provider bundle)");
    }

    private CapabilityUnavailableException noConnection(Ems ems, String role, String capability) {
        boolean discovered = providerTypes.find(ems.type()).flatMap(t -> t.role(role)).map(RoleSpec::discovered).orElse(false);
        return new CapabilityUnavailableException("no " + role + " connection on EMS '" + ems.name() + "' for " + capability
                + (discovered ? " (discover it with ems:discover " + ems.name() + ", or add one with ems:connect)"
                : " (add one with ems:connect " + ems.name() + " " + role + " <host>)"));
    }

    private static CapabilityUnavailableException noCredential(Ems ems, Connection connection) {
        return new CapabilityUnavailableException("no credential for the " + connection.role() + " connection "
                + connection.id() + " (" + connection.address() + ") of EMS '" + ems.name() + "' (set one with ems:credential "
                + ems.name() + " --connection " + connection.id() + " --user <user>)");
    }

    private static final class Lease<C extends Capability> implements CapabilityLease<C> {
        private final C capability;
        private final Connection connection;
        private final ServiceEntry entry;
        private final HandleEntry handle;
        private boolean closed;

        Lease(C capability, Connection connection, ServiceEntry entry, HandleEntry handle) {
            this.capability = capability;
            this.connection = connection;
            this.entry = entry;
            this.handle = handle;
        }

        @Override
        public C capability() {
            return capability;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public String service() {
            return entry.name;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                handle.release();
                entry.leave();
            }
        }
    }

    // ---- what is bound, and does it work ----------------------------------------------------

    @Override
    public List<CapabilityBinding> matrix(long emsId) {
        EmsView view = view(emsId);
        Ems ems = view.ems();
        Optional<ProviderType> type = providerTypes.find(ems.type());
        Set<String> capabilities = new TreeSet<>();
        type.ifPresentOrElse(t -> t.roles().forEach(r -> capabilities.addAll(r.capabilities())),
                () -> capabilities.addAll(KNOWN_CAPABILITIES));
        for (ServiceEntry entry : services) {
            if (entry.type.equals(ems.type())) {
                capabilities.addAll(entry.capabilities);
            }
        }
        List<CapabilityBinding> rows = new ArrayList<>();
        for (String capability : capabilities) {
            Optional<ServiceEntry> service = best(ems.type(), capability);
            if (service.isEmpty()) {
                String role = type.flatMap(t -> t.roles().stream().filter(r -> r.capabilities().contains(capability))
                        .map(RoleSpec::role).findFirst()).orElse(null);
                rows.add(new CapabilityBinding(capability, CapabilityBinding.NO_SERVICE, noService(ems, capability).getMessage(),
                        null, role, view.connectionFor(role == null ? "" : role).orElse(null), null, null));
                continue;
            }
            ServiceEntry entry = service.get();
            Optional<Connection> connection = Optional.ofNullable(pick(view, entry.role));
            String state;
            String detail;
            if (connection.isEmpty()) {
                state = CapabilityBinding.NO_CONNECTION;
                detail = noConnection(ems, entry.role, capability).getMessage();
            } else if (credentialFor(view, connection.get()).isEmpty()) {
                state = CapabilityBinding.NO_CREDENTIAL;
                detail = noCredential(ems, connection.get()).getMessage();
            } else if (lastErrors.containsKey(key(emsId, capability))) {
                state = CapabilityBinding.FAILING;
                detail = lastErrors.get(key(emsId, capability));
            } else {
                state = CapabilityBinding.BOUND;
                detail = "";
            }
            rows.add(new CapabilityBinding(capability, state, detail, entry.name, entry.role, connection.orElse(null),
                    entry.bundle, entry.bundleVersion, health(view, entry.role, connection.orElse(null))));
        }
        return rows;
    }

    /** The role's connections in the order they are tried: the one in use, the standbys, and those down with why and since when. */
    private List<ConnectionHealth> health(EmsView view, String role, Connection active) {
        List<ConnectionHealth> health = new ArrayList<>();
        for (Connection c : view.ofRole(role)) {
            DownConnection d = down.get(c.id());
            if (d != null) {
                health.add(new ConnectionHealth(c, ConnectionHealth.DOWN, d.reason(), d.since()));
            } else {
                health.add(new ConnectionHealth(c, active != null && c.id() == active.id() ? ConnectionHealth.ACTIVE
                        : ConnectionHealth.STANDBY, "", null));
            }
        }
        return health;
    }

    @Override
    public List<ConnectionCheck> verify(long emsId, String role) {
        EmsView view = view(emsId);
        Ems ems = view.ems();
        List<ConnectionCheck> checks = new ArrayList<>();
        for (Connection connection : view.connections()) {
            if (role != null && !connection.role().equals(role)) {
                continue;
            }
            checks.add(check(view, ems, connection));
        }
        return checks;
    }

    private ConnectionCheck check(EmsView view, Ems ems, Connection connection) {
        long start = System.nanoTime();
        Optional<ServiceEntry> service = bestForRole(ems.type(), connection.role());
        Optional<Credential> credential = credentialFor(view, connection);
        if (service.isEmpty()) {
            return new ConnectionCheck(connection, null, ConnectionCheck.NO_SERVICE,
                    "no service for " + ems.type() + "/" + connection.role() + " is installed", Duration.ZERO);
        }
        ServiceEntry entry = service.get();
        if (credential.isEmpty()) {
            return new ConnectionCheck(connection, entry.name, ConnectionCheck.NO_CREDENTIAL,
                    noCredential(ems, connection).getMessage(), Duration.ZERO);
        }
        String status;
        String detail = "";
        if (!entry.enter()) {
            return new ConnectionCheck(connection, entry.name, ConnectionCheck.NO_SERVICE, entry.name + " is going away", Duration.ZERO);
        }
        try {
            HandleEntry handleEntry = entry.handles.computeIfAbsent(connection.id(), id -> new HandleEntry(ems.id(), id, view));
            try {
                ServiceHandle handle = !stillFits(handleEntry, view, connection) ? null
                        : handleEntry.acquire(() -> open(entry, view, connection, credential.get()));
                if (handle == null) {
                    throw new JunctionException("the connection changed during the check; check again");
                }
                try {
                    handle.verify();
                    status = ConnectionCheck.OK;
                } finally {
                    handleEntry.release();
                }
            } catch (RuntimeException e) {
                // A handle that failed its check is not kept: the next call opens a fresh one.
                entry.handles.remove(connection.id(), handleEntry);
                handleEntry.retire();
                throw e;
            }
        } catch (UnreachableException e) {
            status = ConnectionCheck.UNREACHABLE;
            detail = e.getMessage();
        } catch (AuthenticationException e) {
            status = ConnectionCheck.AUTH_FAILED;
            detail = e.getMessage();
        } catch (TlsTrustException e) {
            status = ConnectionCheck.TLS_UNTRUSTED;
            detail = e.getMessage();
        } catch (RuntimeException e) {
            status = ConnectionCheck.ERROR;
            detail = String.valueOf(e.getMessage());
            if (!(e instanceof JunctionException)) {
                LOG.warn("Checking connection {} with {} failed unexpectedly", connection.id(), entry.name, e);
            }
        } finally {
            entry.leave();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (status.equals(ConnectionCheck.UNREACHABLE)) {
            markDown(ems.id(), connection, detail);
        } else if (!status.equals(ConnectionCheck.ERROR)) {
            markUp(connection.id());
        }
        for (String capability : entry.capabilities) {
            if (status.equals(ConnectionCheck.OK)) {
                lastErrors.remove(key(ems.id(), capability));
            } else if (!status.equals(ConnectionCheck.ERROR)) {
                lastErrors.put(key(ems.id(), capability), detail);
            }
        }
        if (Objects.equals(credential.get().connectionId(), connection.id())) {
            // A credential borrowed from the connection that discovered this one keeps its own status.
            store.recordCheck(credential.get().id(), status, detail);
        }
        return new ConnectionCheck(connection, entry.name, status, detail, took);
    }

}
