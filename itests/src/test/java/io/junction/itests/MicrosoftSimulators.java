package io.junction.itests;

import io.junction.simulators.winrm.Authentication;
import io.junction.simulators.winrm.ScomAlert;
import io.junction.simulators.winrm.SimulatorConfig;
import io.junction.simulators.winrm.WinRmSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An SCVMM and a SCOM WinRM simulator for {@link MicrosoftProviderIT}, each with its own account
 * and its own self-signed CA. They run in the test JVM but outside the OSGi framework: the
 * simulators jar is on the failsafe class path, where the probe (the test methods, which run
 * inside the framework) cannot see its classes.
 *
 * <p>How the two sides meet: the native container runs the framework in this same JVM, and every
 * bundle sees the JDK's own {@code java.*} classes. So {@link #start} puts into
 * {@code System.getProperties()} plain strings (ports, CA files, accounts) and, for the
 * simulators' state, {@link Supplier}s and a {@link Runnable} whose results are built only of
 * {@code java.*} types ({@code Map<String, String>}, {@code List<String>}). The probe takes them
 * with {@code System.getProperties().get(key)} and casts them to those JDK interfaces. Only this
 * class touches the simulators' classes, and only the test's {@code @Configuration} method (which
 * runs outside the framework) calls it.
 */
final class MicrosoftSimulators {
    static final String PREFIX = "junction.itests.microsoft.";
    static final String SCVMM_PORT = PREFIX + "scvmm.port";
    static final String SCVMM_CA = PREFIX + "scvmm.ca";
    static final String SCVMM_USER = PREFIX + "scvmm.user";
    static final String SCVMM_PASSWORD = PREFIX + "scvmm.password";
    static final String SCOM_PORT = PREFIX + "scom.port";
    static final String SCOM_CA = PREFIX + "scom.ca";
    static final String SCOM_USER = PREFIX + "scom.user";
    static final String SCOM_PASSWORD = PREFIX + "scom.password";
    /** {@code Supplier<Map<String, String>>}: each VM's id (lower-case GUID) and state name, as the SCVMM simulator has it now. */
    static final String SCVMM_VM_STATES = PREFIX + "scvmm.vmStates";
    /** {@code Supplier<List<String>>}: the user of every successful authentication on the SCVMM listener. */
    static final String SCVMM_USERS = PREFIX + "scvmm.users";
    /** {@code Supplier<List<String>>}: the user of every successful authentication on the SCOM listener. */
    static final String SCOM_USERS = PREFIX + "scom.users";
    /** {@code Runnable}: moves the SCOM simulator's clock on by one alert interval (one alert raised, maybe one closed). */
    static final String SCOM_NEXT_ALERT = PREFIX + "scom.nextAlert";
    /**
     * {@code Supplier<List<String>>}: every alert version the SCOM simulator has shown since it
     * started, as {@code <alert id>@<LastModified>} (the provider's event id), sorted.
     */
    static final String SCOM_ALERT_VERSIONS = PREFIX + "scom.alertVersions";

    /** Port of a third SCVMM listener: plain http, Basic only (NTLM off), the SCVMM account. */
    static final String PLAIN_HTTP_PORT = PREFIX + "plainHttp.port";
    /**
     * {@code Supplier<List<String>>}: the scheme of every Authorization header the plain-http
     * listener received (never the credentials), to tell that a client sent none.
     */
    static final String PLAIN_HTTP_AUTHORIZATIONS = PREFIX + "plainHttp.authorizations";

    /** Ports of a failover pair of SCVMM listeners: one server (one inventory) behind both, the SCVMM account, one CA. */
    static final String PAIR_PREFERRED_PORT = PREFIX + "pair.preferredPort";
    static final String PAIR_STANDBY_PORT = PREFIX + "pair.standbyPort";
    static final String PAIR_CA = PREFIX + "pair.ca";
    /** {@code Runnable}: stops the pair's preferred listener (its port then refuses connections). */
    static final String PAIR_STOP_PREFERRED = PREFIX + "pair.stopPreferred";
    /** {@code Runnable}: starts the pair's preferred listener again on its port. */
    static final String PAIR_START_PREFERRED = PREFIX + "pair.startPreferred";
    /** {@code Supplier<Integer>}: commands each listener of the pair received, {@code [preferred, standby]} as a list. */
    static final String PAIR_COMMANDS = PREFIX + "pair.commands";
    /** {@code Supplier<Map<String, String>>}: each VM's id and state on the pair's server. */
    static final String PAIR_VM_STATES = PREFIX + "pair.vmStates";

    /** The same for a failover pair of SCOM listeners (the SCOM account), with their own clock. */
    static final String SCOM_PAIR = PREFIX + "scomPair.";
    /** {@code Runnable}: moves the SCOM pair's clock on by one alert interval. */
    static final String SCOM_PAIR_NEXT_ALERT = SCOM_PAIR + "nextAlert";
    /** {@code Supplier<List<String>>}: every alert version the SCOM pair has shown since it started, sorted. */
    static final String SCOM_PAIR_ALERT_VERSIONS = SCOM_PAIR + "alertVersions";

    /** Long, so that no alert is raised by time passing: only {@link #SCOM_NEXT_ALERT} raises them. */
    static final Duration ALERT_INTERVAL = Duration.ofHours(1);
    /** Default inventory of the SCVMM simulator. */
    static final int CLUSTERS = 1;
    static final int HOSTS = 3;
    static final int VMS = 28;
    static final int TEMPLATES = 22;

    private static WinRmSimulator scvmm;
    private static WinRmSimulator scom;
    private static WinRmSimulator plainHttp;
    private static WinRmSimulator pairStandby;
    private static volatile WinRmSimulator pairPreferred;
    /** Commands the preferred listeners of the pair received before they were stopped. */
    private static int pairPreferredCommandsBefore;

    private MicrosoftSimulators() {
    }

    /** Starts both simulators once per JVM (Pax Exam may ask for the configuration more than once). */
    static synchronized void start(Path dir) throws Exception {
        if (scvmm != null) {
            return;
        }
        Files.createDirectories(dir);
        String vmmUser = "vmm-svc";
        String vmmPassword = "Vmm-Pa55-" + Long.toHexString(System.nanoTime());
        String scomUser = "scom-svc";
        String scomPassword = "Scom-Pa55-" + Long.toHexString(System.nanoTime() * 31);
        scvmm = WinRmSimulator.start(SimulatorConfig.scvmm().account(vmmUser, vmmPassword).caOut(dir.resolve("scvmm-ca.pem"))
                .inventory(CLUSTERS, HOSTS, VMS, TEMPLATES));
        // The SCOM clock stands still unless the test moves it: the test decides when alerts come.
        MovableClock clock = new MovableClock(Instant.now());
        scom = WinRmSimulator.start(SimulatorConfig.scom().account(scomUser, scomPassword).caOut(dir.resolve("scom-ca.pem"))
                .clock(clock).alerts(ALERT_INTERVAL, 1));
        plainHttp = WinRmSimulator.start(SimulatorConfig.scvmm().account(vmmUser, vmmPassword).plainHttp(true).ntlmAllowed(false)
                .inventory(CLUSTERS, HOSTS, VMS, TEMPLATES));
        pairPreferred = WinRmSimulator.start(SimulatorConfig.scvmm().account(vmmUser, vmmPassword).caOut(dir.resolve("pair-ca.pem"))
                .inventory(CLUSTERS, HOSTS, VMS, TEMPLATES));
        pairStandby = pairPreferred.peer(0);
        int pairPort = pairPreferred.port();
        MovableClock pairClock = new MovableClock(Instant.now());
        Pair scomPair = new Pair(WinRmSimulator.start(SimulatorConfig.scom().account(scomUser, scomPassword)
                .caOut(dir.resolve("scom-pair-ca.pem")).clock(pairClock).alerts(ALERT_INTERVAL, 1)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scvmm.stop();
            scom.stop();
            plainHttp.stop();
            stopPairPreferred();
            pairStandby.stop();
            scomPair.stop();
        }));
        scomPair.share(SCOM_PAIR, dir.resolve("scom-pair-ca.pem"));
        Set<String> pairVersions = new TreeSet<>();
        Instant pairStarted = pairClock.instant();
        Runnable pairNextAlert = () -> {
            synchronized (pairVersions) {
                pairClock.advance(ALERT_INTERVAL);
                for (ScomAlert alert : scomPair.standby.scomAlerts()) {
                    if (alert.lastModified().isAfter(pairStarted)) {
                        pairVersions.add(alert.id() + "@" + alert.lastModified());
                    }
                }
            }
        };
        Supplier<List<String>> pairAlertVersions = () -> {
            synchronized (pairVersions) {
                return List.copyOf(pairVersions);
            }
        };
        System.getProperties().put(SCOM_PAIR_NEXT_ALERT, pairNextAlert);
        System.getProperties().put(SCOM_PAIR_ALERT_VERSIONS, pairAlertVersions);

        Set<String> versions = new TreeSet<>();
        Instant started = clock.instant();
        Runnable record = () -> {
            synchronized (versions) {
                for (ScomAlert alert : scom.scomAlerts()) {
                    // alerts raised before the test's first move were there before any subscription
                    if (alert.lastModified().isAfter(started)) {
                        versions.add(alert.id() + "@" + alert.lastModified());
                    }
                }
            }
        };
        Runnable nextAlert = () -> {
            synchronized (versions) {
                clock.advance(ALERT_INTERVAL);
                record.run();
            }
        };
        Supplier<List<String>> alertVersions = () -> {
            synchronized (versions) {
                return List.copyOf(versions);
            }
        };
        Supplier<Map<String, String>> vmStates = () -> {
            Map<String, String> states = new TreeMap<>();
            scvmm.vmStates().forEach((id, state) -> states.put(id.toString(), state));
            return Map.copyOf(states);
        };
        Supplier<List<String>> vmmUsers = () -> scvmm.authentications().stream().map(Authentication::user).toList();
        Supplier<List<String>> scomUsers = () -> scom.authentications().stream().map(Authentication::user).toList();

        System.setProperty(SCVMM_PORT, String.valueOf(scvmm.port()));
        System.setProperty(SCVMM_CA, scvmm.caPem().toString());
        System.setProperty(SCVMM_USER, vmmUser);
        System.setProperty(SCVMM_PASSWORD, vmmPassword);
        System.setProperty(SCOM_PORT, String.valueOf(scom.port()));
        System.setProperty(SCOM_CA, scom.caPem().toString());
        System.setProperty(SCOM_USER, scomUser);
        System.setProperty(SCOM_PASSWORD, scomPassword);
        System.getProperties().put(SCVMM_VM_STATES, vmStates);
        System.getProperties().put(SCVMM_USERS, vmmUsers);
        System.getProperties().put(SCOM_USERS, scomUsers);
        System.getProperties().put(SCOM_NEXT_ALERT, nextAlert);
        System.getProperties().put(SCOM_ALERT_VERSIONS, alertVersions);
        System.setProperty(PAIR_PREFERRED_PORT, String.valueOf(pairPort));
        System.setProperty(PAIR_STANDBY_PORT, String.valueOf(pairStandby.port()));
        System.setProperty(PAIR_CA, dir.resolve("pair-ca.pem").toString());
        Runnable stopPreferred = MicrosoftSimulators::stopPairPreferred;
        Runnable startPreferred = () -> {
            synchronized (MicrosoftSimulators.class) {
                if (pairPreferred == null) {
                    pairPreferred = pairStandby.peer(pairPort);
                }
            }
        };
        Supplier<List<Integer>> pairCommands = () -> {
            synchronized (MicrosoftSimulators.class) {
                WinRmSimulator preferred = pairPreferred;
                return List.of(pairPreferredCommandsBefore + (preferred == null ? 0 : preferred.commands().size()),
                        pairStandby.commands().size());
            }
        };
        Supplier<Map<String, String>> pairStates = () -> {
            Map<String, String> states = new TreeMap<>();
            pairStandby.vmStates().forEach((id, state) -> states.put(id.toString(), state));
            return Map.copyOf(states);
        };
        System.getProperties().put(PAIR_STOP_PREFERRED, stopPreferred);
        System.getProperties().put(PAIR_START_PREFERRED, startPreferred);
        System.getProperties().put(PAIR_COMMANDS, pairCommands);
        System.getProperties().put(PAIR_VM_STATES, pairStates);
        System.setProperty(PLAIN_HTTP_PORT, String.valueOf(plainHttp.port()));
        Supplier<List<String>> plainHttpAuthorizations = plainHttp::authorizationSchemes;
        System.getProperties().put(PLAIN_HTTP_AUTHORIZATIONS, plainHttpAuthorizations);
    }

    private static synchronized void stopPairPreferred() {
        if (pairPreferred != null) {
            pairPreferredCommandsBefore += pairPreferred.commands().size();
            pairPreferred.stop();
            pairPreferred = null;
        }
    }

    /**
     * A failover pair of listeners of one server, shared with the probe under {@code prefix}:
     * {@code preferredPort}, {@code standbyPort}, {@code ca}, {@code stopPreferred}, {@code startPreferred}
     * and {@code commands}.
     */
    private static final class Pair {
        private final WinRmSimulator standby;
        private final int port;
        private WinRmSimulator preferred;
        private int preferredCommandsBefore;

        Pair(WinRmSimulator preferred) {
            this.preferred = preferred;
            this.standby = preferred.peer(0);
            this.port = preferred.port();
        }

        synchronized void stopPreferred() {
            if (preferred != null) {
                preferredCommandsBefore += preferred.commands().size();
                preferred.stop();
                preferred = null;
            }
        }

        synchronized void startPreferred() {
            if (preferred == null) {
                preferred = standby.peer(port);
            }
        }

        synchronized List<Integer> commands() {
            return List.of(preferredCommandsBefore + (preferred == null ? 0 : preferred.commands().size()), standby.commands().size());
        }

        void stop() {
            stopPreferred();
            standby.stop();
        }

        void share(String prefix, Path ca) {
            System.setProperty(prefix + "preferredPort", String.valueOf(port));
            System.setProperty(prefix + "standbyPort", String.valueOf(standby.port()));
            System.setProperty(prefix + "ca", ca.toString());
            Runnable stop = this::stopPreferred;
            Runnable start = this::startPreferred;
            Supplier<List<Integer>> counts = this::commands;
            System.getProperties().put(prefix + "stopPreferred", stop);
            System.getProperties().put(prefix + "startPreferred", start);
            System.getProperties().put(prefix + "commands", counts);
        }
    }

    /** A clock that stands still until moved. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
