package io.junction.console.ssh.internal;

import io.junction.api.JunctionException;
import io.junction.api.security.AccessPolicy;
import io.junction.api.security.AuditTrail;
import io.junction.api.security.Caller;
import io.junction.api.security.Users;
import io.junction.api.store.EmsStore;
import io.junction.api.store.InventoryStore;
import io.junction.api.ProviderTypes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.felix.service.threadio.ThreadIO;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH console (PID {@code io.junction.ssh}, applied live): Apache SSHD on {@code 127.0.0.1:8101}
 * by default, with the host key made once under {@code etc/}, logins by password or authorized key
 * checked by the {@link AccessPolicy}, the interactive console for shell requests and one command
 * per exec request, every command guarded by its role and audited.
 */
@Component(immediate = true, configurationPid = SshConfiguration.PID)
@Designate(ocd = SshConfiguration.class)
public class SshConsole {
    private static final Logger LOG = LoggerFactory.getLogger(SshConsole.class);
    /** The authenticated caller of an SSH session, set by the authenticators. */
    static final AttributeKey<Caller> CALLER = new AttributeKey<>();
    /** Key pair of the local administrator, under etc/ (owner-only), made at first start. */
    static final String LOCAL_CLIENT_KEY = "etc/client-key";

    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final BundleContext context;
    private final Path home;
    private final RemoteCommandProcessor processor;
    private final CommandServices services;
    /** The local door without SSH (bin/junction -c), on whether or not the SSH console is; null when it cannot be made. */
    private final LocalSocket localSocket;
    private SshServer server;
    private Listen listening;

    // What tab completion proposes comes from these; the console runs without them.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EmsStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile InventoryStore inventory;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ProviderTypes types;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Users users;
    /** The public key of etc/client-key: whoever can read etc/ administers this node (bin/junction -c uses it). */
    private final String localClientKey;

    /** What a running server was started with; a change of any of it needs a new server. */
    private record Listen(String address, int port, Path hostKey) {
    }

    @Activate
    public SshConsole(@Reference AccessPolicy policy, @Reference AuditTrail audit, @Reference ThreadIO threadIO,
                      BundleContext context, SshConfiguration config) throws Exception {
        this.policy = policy;
        this.audit = audit;
        this.context = context;
        String h = context.getProperty("junction.home");
        if (h == null || h.isBlank()) {
            throw new JunctionException("the framework property junction.home is not set");
        }
        this.home = Path.of(h).toAbsolutePath().normalize();
        this.localClientKey = PublicKeyEntry.toString(KeyFiles.loadOrCreate(home.resolve(LOCAL_CLIENT_KEY), "junction local client").getPublic());
        this.processor = new RemoteCommandProcessor(threadIO);
        this.processor.addListener(new CommandAudit(audit, processor::callerOf));
        this.services = CommandServices.remote(context, processor);
        this.localSocket = openLocalSocket(home.resolve(LocalSocket.FILE));
        apply(config);
    }

    @Modified
    synchronized void apply(SshConfiguration config) throws IOException {
        Listen wanted = new Listen(config.address().strip(), config.port(),
                config.hostKeyFile().isBlank() ? home.resolve("etc/ssh-host-key") : Path.of(config.hostKeyFile().strip()));
        if (server != null && (!config.enabled() || !wanted.equals(listening))) {
            stopServer();
        }
        if (!config.enabled()) {
            LOG.info("SSH console is off (enabled=false in etc/{}.cfg)", SshConfiguration.PID);
            return;
        }
        if (server == null) {
            try {
                startServer(wanted, config);
            } catch (JunctionException e) {
                // Stay active: the next change of etc/io.junction.ssh.cfg (another port) tries again.
                LOG.error("{}", e.getMessage(), e);
            }
        } else {
            idleTimeout(server, config);
        }
    }

    private LocalSocket openLocalSocket(Path file) {
        try {
            return LocalSocket.open(file, processor);
        } catch (IOException | RuntimeException e) {
            // E.g. a home path too long for a socket address (at most 107 bytes): -c then takes the SSH console.
            LOG.warn("no local console socket {} ({}); bin/junction -c reaches this instance through the SSH console", file, e.toString());
            return null;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (localSocket != null) {
            localSocket.close();
        }
        stopServer();
        services.close();
        processor.stop();
    }

    private void startServer(Listen listen, SshConfiguration config) throws IOException {
        if (listen.port() < 1 || listen.port() > 65535) {
            throw new JunctionException("SSH console: port " + listen.port() + " is not a TCP port (1-65535)");
        }
        KeyPair hostKey = KeyFiles.loadOrCreate(listen.hostKey(), "junction host key");
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(listen.address());
        s.setPort(listen.port());
        s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        s.setPasswordAuthenticator((user, password, session) ->
                login(session, user, "password", policy.loginWithPassword(user, password.toCharArray(), origin(session))));
        s.setPublickeyAuthenticator((user, key, session) -> loginWithKey(session, user, key));
        // keyboard-interactive would only be the password again, without the chance to say so
        s.setKeyboardInteractiveAuthenticator(null);
        s.setGSSAuthenticator(null);
        s.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        s.setSubsystemFactories(List.of());
        s.setShellFactory(channel -> new ConsoleShell(processor, version(), home.resolve("data/history"),
                new ConsoleCompleter.Sources(() -> store, () -> inventory, () -> types, () -> users)));
        s.setCommandFactory((channel, command) -> new ConsoleExec(processor, command));
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(s, 6);
        CoreModuleProperties.AUTH_TIMEOUT.set(s, Duration.ofMinutes(1));
        idleTimeout(s, config);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // SSHD looks up optional factories through the context class loader; give it its own bundle's.
        Thread.currentThread().setContextClassLoader(SshServer.class.getClassLoader());
        try {
            s.start();
        } catch (IOException e) {
            throw new JunctionException("SSH console cannot listen on " + listen.address() + ":" + listen.port() + ": " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        server = s;
        listening = listen;
        LOG.info("SSH console listening on {}:{}, host key {} ({}){}", listen.address(), s.getPort(),
                KeyFiles.fingerprint(hostKey.getPublic()), listen.hostKey(),
                policy.hasUsers() ? "" : "; no users yet, so nobody can log in: add an administrator with user:add <name> admin");
    }

    private static void idleTimeout(SshServer s, SshConfiguration config) {
        CoreModuleProperties.IDLE_TIMEOUT.set(s, config.idleTimeoutMinutes() <= 0 ? Duration.ZERO : Duration.ofMinutes(config.idleTimeoutMinutes()));
    }

    private void stopServer() {
        SshServer s = server;
        server = null;
        listening = null;
        if (s != null) {
            try {
                s.stop(true);
                LOG.info("SSH console stopped");
            } catch (IOException e) {
                LOG.warn("SSH console did not stop cleanly: {}", e.toString());
            }
        }
    }

    /** The port the server listens on (the configured one, or the one the system chose for port 0). */
    synchronized Optional<Integer> port() {
        return server == null ? Optional.empty() : Optional.of(server.getPort());
    }

    private boolean loginWithKey(ServerSession session, String user, PublicKey key) {
        String text;
        try {
            text = PublicKeyEntry.toString(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (text.equals(localClientKey)) {
            // The local client key: whoever could read it from etc/ runs this node; the user name is theirs to say.
            String origin = "local/" + origin(session).substring("ssh/".length());
            return login(session, user, "local client key", Optional.of(new Caller(user, io.junction.api.security.Role.ADMIN, origin)));
        }
        return login(session, user, "public key", policy.loginWithKey(user, text, origin(session)));
    }

    private boolean login(ServerSession session, String user, String method, Optional<Caller> caller) {
        if (caller.isEmpty() && method.equals("public key")) {
            // A client offers its keys one after the other: one that does not fit is no failed login yet.
            return false;
        }
        if (caller.isEmpty()) {
            audit.record(new AuditTrail.Entry(Instant.now(), user == null ? "-" : user, "-", origin(session),
                    "login (" + method + ")", AuditTrail.DENIED));
            return false;
        }
        // A public key is checked twice (offered, then signed): one login, one audit line.
        if (!caller.get().equals(session.getAttribute(CALLER))) {
            session.setAttribute(CALLER, caller.get());
            audit.record(AuditTrail.Entry.of(caller.get(), "login (" + method + ")", AuditTrail.OK));
        }
        return true;
    }

    static String origin(ServerSession session) {
        SocketAddress address = session.getClientAddress();
        if (address instanceof InetSocketAddress inet) {
            return "ssh/" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return "ssh/" + address;
    }

    private String version() {
        return VersionCommand.text(context.getBundle().getVersion());
    }
}
