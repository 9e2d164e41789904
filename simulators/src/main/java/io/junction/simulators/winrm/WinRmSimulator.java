package io.junction.simulators.winrm;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback WinRM listener (HTTPS, {@code /wsman}) that answers like a Windows Server running
 * SCVMM or SCOM. Start one with {@link #start(SimulatorConfig)}; {@link #stop()} ends it.
 */
public final class WinRmSimulator implements AutoCloseable {
    static {
        // without TCP_NODELAY each small reply waits out the peer's delayed ACK (~40 ms on loopback)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final WsmanEndpoint endpoint;
    private final TlsIdentity identity;
    private final VmmInventory inventory;
    private final ScomAlerts alerts;
    private final List<Authentication> authentications = new CopyOnWriteArrayList<>();
    private final List<ReceivedCommand> commands = new CopyOnWriteArrayList<>();
    private final List<String> authorizationSchemes = new CopyOnWriteArrayList<>();

    private WinRmSimulator(SimulatorConfig config, WinRmSimulator sharing) throws IOException, GeneralSecurityException {
        this.config = config;
        this.identity = config.identity() != null ? config.identity() : TlsIdentity.create();
        if (config.caOut() != null && sharing == null) {
            identity.writeCaPem(config.caOut());
        }
        if (sharing != null) {
            // One System Center behind two listeners: what one changes, the other serves.
            inventory = sharing.inventory;
            alerts = sharing.alerts;
        } else if (config.role() == SimulatorConfig.Role.SCVMM) {
            inventory = config.replay() != null ? VmmInventory.replay(config.replay())
                    : VmmInventory.generated(config.seed(), config.clusters(), config.hosts(), config.vms(), config.templates());
            alerts = null;
        } else {
            inventory = null;
            alerts = new ScomAlerts(config.seed(), config.clock(), config.alertInterval(), config.initialAlerts());
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "winrm-" + config.role().name().toLowerCase() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AccountGate gate = new AccountGate(config.user(), config.password(), config.basicAllowed(), config.ntlmAllowed(),
                authentications::add, authorizationSchemes::add);
        endpoint = new WsmanEndpoint(gate, new CommandLineInterpreter(new PsHost(config.role(), inventory, alerts), config.latency()),
                executor, commands::add, config.plainHttp() ? "http" : "https");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port());
        if (config.plainHttp()) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(identity.serverContext()));
            server = https;
        }
        server.createContext("/", endpoint);
        server.setExecutor(executor);
        server.start();
        endpoint.port(server.getAddress().getPort());
    }

    /** Starts a listener on 127.0.0.1 as configured. */
    public static WinRmSimulator start(SimulatorConfig config) {
        return start(config, null);
    }

    /**
     * Another listener of the same server, as a failover pair (a standby SCVMM server, a second SCOM
     * management server) would be: the same account, certificate and CA, and the same inventory or
     * alerts, so what is changed through one is served by the other. It keeps running when this one
     * stops; {@code port} 0 picks a free one, this listener's own port brings it back after {@link #stop()}.
     */
    public WinRmSimulator peer(int port) {
        SimulatorConfig peerConfig = config.copy().port(port).identity(identity);
        return start(peerConfig, this);
    }

    private static WinRmSimulator start(SimulatorConfig config, WinRmSimulator sharing) {
        try {
            return new WinRmSimulator(config, sharing);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the WinRM simulator: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS for the WinRM simulator: " + e.getMessage(), e);
        }
    }

    public SimulatorConfig.Role role() {
        return config.role();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:<port>/wsman} ({@code http://} for a plain-HTTP listener). */
    public URI url() {
        return URI.create((config.plainHttp() ? "http" : "https") + "://127.0.0.1:" + port() + "/wsman");
    }

    /** Where the CA certificate was written, or null when the config named no file. */
    public Path caPem() {
        return config.caOut();
    }

    public TlsIdentity identity() {
        return identity;
    }

    /** Each VM's ID and state name (Running, PowerOff, Saved, Paused…); empty for SCOM. */
    public Map<UUID, String> vmStates() {
        return inventory == null ? Map.of() : inventory.states();
    }

    /**
     * The SCOM alerts as a client would read them now (raised and closed up to the configured
     * clock's present), oldest raised first; empty for SCVMM. Tests compare what Junction stored
     * with this list.
     */
    public List<ScomAlert> scomAlerts() {
        return alerts == null ? List.of() : alerts.snapshot();
    }

    /** Every successful authentication, oldest first. */
    public List<Authentication> authentications() {
        return List.copyOf(authentications);
    }

    /**
     * The scheme of every {@code Authorization} header received ({@code Basic}, {@code NTLM},
     * {@code Negotiate}…), oldest first; the credentials themselves are never kept.
     */
    public List<String> authorizationSchemes() {
        return List.copyOf(authorizationSchemes);
    }

    /** Every command received, oldest first. */
    public List<ReceivedCommand> commands() {
        return List.copyOf(commands);
    }

    /** Shells created and not yet deleted. */
    public int openShells() {
        return endpoint.openShells();
    }

    public void stop() {
        // Stop answering before the shells go: a request still in hand then ends with the
        // connection, as when a real server goes away, instead of a "shell not found" fault that
        // no stopped Windows server would send.
        server.stop(0);
        executor.shutdownNow();
        endpoint.closeAll();
    }

    @Override
    public void close() {
        stop();
    }
}
