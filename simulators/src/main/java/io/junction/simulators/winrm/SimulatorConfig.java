package io.junction.simulators.winrm;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** What a simulator impersonates and how it listens. Fluent; read once by {@link WinRmSimulator#start}. */
public final class SimulatorConfig {
    /** The System Center server a listener impersonates. */
    public enum Role {
        SCVMM, SCOM
    }

    private final Role role;
    private int port;
    private String user = "Administrator";
    private String password = "";
    private Path caOut;
    private TlsIdentity identity;
    private boolean basicAllowed = true;
    private boolean ntlmAllowed = true;
    private boolean plainHttp;
    private int clusters = 1;
    private int hosts = 3;
    private int vms = 28;
    private int templates = 22;
    private Path replay;
    private long seed = 1;
    private Duration alertInterval = Duration.ofMinutes(1);
    private int initialAlerts = 5;
    private Clock clock = Clock.systemUTC();
    private Duration latency = Duration.ZERO;

    public SimulatorConfig(Role role) {
        this.role = Objects.requireNonNull(role);
    }

    /** A copy of every setting, to change some for another listener. */
    public SimulatorConfig copy() {
        SimulatorConfig c = new SimulatorConfig(role);
        c.port = port;
        c.user = user;
        c.password = password;
        c.caOut = caOut;
        c.identity = identity;
        c.basicAllowed = basicAllowed;
        c.ntlmAllowed = ntlmAllowed;
        c.plainHttp = plainHttp;
        c.clusters = clusters;
        c.hosts = hosts;
        c.vms = vms;
        c.templates = templates;
        c.replay = replay;
        c.seed = seed;
        c.alertInterval = alertInterval;
        c.initialAlerts = initialAlerts;
        c.clock = clock;
        c.latency = latency;
        return c;
    }

    public static SimulatorConfig scvmm() {
        return new SimulatorConfig(Role.SCVMM);
    }

    public static SimulatorConfig scom() {
        return new SimulatorConfig(Role.SCOM);
    }

    /** TCP port on 127.0.0.1; 0 picks a free one. */
    public SimulatorConfig port(int value) {
        port = value;
        return this;
    }

    /** The listener's one account. */
    public SimulatorConfig account(String userName, String pass) {
        user = Objects.requireNonNull(userName);
        password = Objects.requireNonNull(pass);
        return this;
    }

    /** Where the CA certificate (PEM) is written; none when null. */
    public SimulatorConfig caOut(Path value) {
        caOut = value;
        return this;
    }

    /** A certificate to share between listeners; a new one is made when null. */
    public SimulatorConfig identity(TlsIdentity value) {
        identity = value;
        return this;
    }

    /** Whether HTTP Basic is accepted and offered. */
    public SimulatorConfig basicAllowed(boolean value) {
        basicAllowed = value;
        return this;
    }

    /**
     * Whether NTLM (and Negotiate) is accepted and offered; off, the listener is one configured with
     * {@code Auth/Negotiate=false}, where only Basic (if allowed) is left.
     */
    public SimulatorConfig ntlmAllowed(boolean value) {
        ntlmAllowed = value;
        return this;
    }

    /**
     * A plain-HTTP listener (as on port 5985 with {@code AllowUnencrypted=true}) instead of HTTPS;
     * the TLS identity is then unused.
     */
    public SimulatorConfig plainHttp(boolean value) {
        plainHttp = value;
        return this;
    }

    /** The generated SCVMM inventory's size. */
    public SimulatorConfig inventory(int clusterCount, int hostCount, int vmCount, int templateCount) {
        if (clusterCount < 0 || hostCount < 1 || vmCount < 0 || templateCount < 0 || vmCount > 1_000_000
                || clusterCount > hostCount) {
            throw new IllegalArgumentException("inventory needs hosts >= 1, 0 <= clusters <= hosts, 0 <= vms <= 1000000");
        }
        clusters = clusterCount;
        hosts = hostCount;
        vms = vmCount;
        templates = templateCount;
        return this;
    }

    /** A recorded inventory (keys clusters, hosts, vms, templates) served instead of a generated one. */
    public SimulatorConfig replay(Path value) {
        replay = value;
        return this;
    }

    /** Seed of the generated inventory and alerts: the same seed gives the same names and IDs. */
    public SimulatorConfig seed(long value) {
        seed = value;
        return this;
    }

    /** SCOM: one new alert per interval, and the number raised before start. */
    public SimulatorConfig alerts(Duration interval, int raisedBeforeStart) {
        if (interval.isNegative() || interval.isZero() || raisedBeforeStart < 0) {
            throw new IllegalArgumentException("alert interval must be positive");
        }
        alertInterval = interval;
        initialAlerts = raisedBeforeStart;
        return this;
    }

    /** The clock alerts are raised and resolved by; tests pass one they move. */
    public SimulatorConfig clock(Clock value) {
        clock = Objects.requireNonNull(value);
        return this;
    }

    /**
     * How long each PowerShell command takes before it writes anything (SCVMM's cmdlets take
     * seconds); lets a client meet Receive's {@code w:TimedOut}.
     */
    public SimulatorConfig latency(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        latency = value;
        return this;
    }

    public Duration latency() {
        return latency;
    }

    public Role role() {
        return role;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Path caOut() {
        return caOut;
    }

    public TlsIdentity identity() {
        return identity;
    }

    public boolean basicAllowed() {
        return basicAllowed;
    }

    public boolean ntlmAllowed() {
        return ntlmAllowed;
    }

    public boolean plainHttp() {
        return plainHttp;
    }

    public int clusters() {
        return clusters;
    }

    public int hosts() {
        return hosts;
    }

    public int vms() {
        return vms;
    }

    public int templates() {
        return templates;
    }

    public Path replay() {
        return replay;
    }

    public long seed() {
        return seed;
    }

    public Duration alertInterval() {
        return alertInterval;
    }

    public int initialAlerts() {
        return initialAlerts;
    }

    public Clock clock() {
        return clock;
    }
}
