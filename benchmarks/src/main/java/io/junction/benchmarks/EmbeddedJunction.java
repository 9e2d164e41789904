package io.junction.benchmarks;

import io.junction.api.Connection;
import io.junction.api.CredentialKind;
import io.junction.api.CredentialSpec;
import io.junction.api.ConnectionSpec;
import io.junction.api.Ems;
import io.junction.api.JunctionException;
import io.junction.api.Secret;
import io.junction.api.service.CapabilityLease;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.PowerCapability;
import io.junction.api.store.EmsStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Junction booted in this JVM: a Felix framework on a temporary copy of the distribution's home,
 * with every bundle of its {@code system/} except core-api and the console-only gogo.jline, plus
 * the test provider (provider type {@code testbed}). The caller and the bundles share the API
 * classes: the distribution's core-api jar is on this JVM's class path, and the system bundle
 * exports its packages as that jar's {@code Export-Package} says (today io.junction.api,
 * .store, .service and .inventory at 1.0.0, the versions of core-api's package-info files).
 *
 * <p>Where things are: system property {@code junction.dist} (the unpacked distribution,
 * default {@code distribution/target/junction}) and {@code junction.testprovider} (the test
 * provider's jar, default {@code benchmarks/target/bundles/test-provider.jar}).
 */
public final class EmbeddedJunction implements AutoCloseable {
    static final String TEST_PROVIDER = "io.junction.testprovider";
    private static final Set<String> NOT_INSTALLED = Set.of("io.junction.api", "org.apache.felix.gogo.jline");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final long TIMEOUT_MILLIS = 60_000;

    private final Path scratch;
    private final Path home;
    private final Framework framework;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    private EmbeddedJunction(Path scratch, Path home, Framework framework) {
        this.scratch = scratch;
        this.home = home;
        this.framework = framework;
    }

    public static Path dist() {
        return Path.of(System.getProperty("junction.dist", "distribution/target/junction")).toAbsolutePath().normalize();
    }

    public static Path testProviderJar() {
        return Path.of(System.getProperty("junction.testprovider", "benchmarks/target/bundles/test-provider.jar"))
                .toAbsolutePath().normalize();
    }

    /**
     * Boots the distribution's bundles and the test provider, and waits for the store and the router.
     *
     * @param testProvider the test provider's jar content to install
     */
    public static EmbeddedJunction start(InputStream testProvider) throws Exception {
        return start(testProvider, home -> { });
    }

    /**
     * As {@link #start(InputStream)}, with a step that prepares the home (the copy of the
     * distribution's) before the framework boots: e.g. writing {@code etc/io.junction.database.cfg}
     * so that Junction runs on another database, as an operator would configure it.
     */
    public static EmbeddedJunction start(InputStream testProvider, HomeSetup setup) throws Exception {
        Path dist = dist();
        if (!Files.isDirectory(dist.resolve("system"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it, or set -Djunction.dist)");
        }
        Path scratch = Files.createTempDirectory("junction-bench");
        Path home = scratch.resolve("junction");
        Framework framework;
        try {
            framework = boot(home, setup);
        } catch (Exception | Error e) {
            deleteTree(scratch);
            throw e;
        }
        EmbeddedJunction junction = new EmbeddedJunction(scratch, home, framework);
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            Map<String, String> config = config(home);
            // As the launcher does for a -c run: no HTTPS server, and logging started first.
            Set<String> servers = Set.of(config.getOrDefault("junction.server.bundles", "").split("\\s*,\\s*"));
            List<String> early = List.of(config.getOrDefault("junction.early.bundles", "").split("\\s*,\\s*"));
            for (Path jar : systemJars(home.resolve("system"))) {
                if (!NOT_INSTALLED.contains(symbolicName(jar)) && !servers.contains(symbolicName(jar))) {
                    installed.add(context.installBundle(jar.toUri().toString()));
                }
            }
            installed.add(context.installBundle(testProviderJar().toUri().toString(), testProvider));
            installed.sort(Comparator.comparingInt(b -> early.contains(b.getSymbolicName()) ? early.indexOf(b.getSymbolicName()) : early.size()));
            framework.adapt(FrameworkWiring.class).resolveBundles(installed);
            for (Bundle bundle : installed) {
                if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            junction.service(EmsStore.class);
            junction.service(CapabilityRouter.class);
            return junction;
        } catch (Exception | Error e) {
            try {
                junction.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A copy of the distribution's home, and the framework started on it, still without bundles. */
    private static Framework boot(Path home, HomeSetup setup) throws Exception {
        copyTree(dist(), home);
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("data/log"));
        setup.prepare(home);

        // As bin/junction does.
        System.setProperty("junction.home", home.toString());
        System.setProperty("logback.configurationFile", home.resolve("etc/logback.xml").toString());
        System.setProperty("derby.system.home", home.resolve("data").toString());
        System.setProperty("derby.stream.error.file", home.resolve("data/log/derby.log").toString());

        Map<String, String> config = config(home);
        config.put("junction.home", home.toString());
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("data/cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Added to what the distribution's configuration exports (sun.security.x509 for the SSH console's ed25519 keys).
        String extra = config.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA);
        String api = apiExports(home.resolve("system"));
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, extra == null || extra.isBlank() ? api : extra.strip() + "," + api);

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, EmbeddedJunction.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        framework.start();
        return framework;
    }

    /** What is done to a copied home before the framework boots on it. */
    @FunctionalInterface
    public interface HomeSetup {
        void prepare(Path home) throws Exception;
    }

    /** The service, waiting for it if need be; the tracker stays open until {@link #close()}. */
    public <S> S service(Class<S> type) throws InterruptedException {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(framework.getBundleContext(), type, null);
        tracker.open();
        trackers.add(tracker);
        S service = tracker.waitForService(TIMEOUT_MILLIS);
        if (service == null) {
            throw new IllegalStateException("no " + type.getName() + " service within " + TIMEOUT_MILLIS + " ms");
        }
        return service;
    }

    public Bundle bundle(String symbolicName) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName);
    }

    /**
     * Creates a testbed EMS with a role-{@code a} connection and a password credential on it,
     * and waits until its power capability routes.
     *
     * @return the EMS's id
     */
    public long createTestbedEms(String name) throws InterruptedException {
        EmsStore store = service(EmsStore.class);
        CapabilityRouter router = service(CapabilityRouter.class);
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        Ems ems = null;
        while (ems == null) {
            try {
                // Fails until the test provider's provider type is registered.
                ems = store.createEms("testbed", name);
            } catch (JunctionException e) {
                pause(deadline, e);
            }
        }
        Connection connection = store.addConnection(ems.id(), ConnectionSpec.of("a", "a.example"));
        try (Secret secret = Secret.of("bench-secret".toCharArray())) {
            store.setCredential(ems.id(), connection.id(), new CredentialSpec(CredentialKind.PASSWORD, "u", secret));
        }
        while (true) {
            try (CapabilityLease<PowerCapability> lease = router.route(ems.id(), PowerCapability.class)) {
                lease.capability();
                return ems.id();
            } catch (JunctionException e) {
                pause(deadline, e);
            }
        }
    }

    private static void pause(long deadline, RuntimeException cause) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("gave up after " + TIMEOUT_MILLIS + " ms", cause);
        }
        Thread.sleep(20);
    }

    public Path home() {
        return home;
    }

    /** The system bundle's context. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    @Override
    public void close() throws Exception {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(30_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("warning: the framework did not stop within 30 s");
            }
        } catch (BundleException e) {
            System.err.println("warning: stopping the framework: " + e);
        } finally {
            deleteTree(scratch);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** etc/config.properties with ${junction.home} (and any system property) substituted. */
    private static Map<String, String> config(Path home) throws IOException {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("etc/config.properties"))) {
            raw.load(in);
        }
        Map<String, String> resolved = new HashMap<>();
        for (String key : raw.stringPropertyNames()) {
            Matcher m = VARIABLE.matcher(raw.getProperty(key));
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = name.equals("junction.home") ? home.toString() : System.getProperty(name, "");
                m.appendReplacement(value, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(value);
            resolved.put(key, value.toString());
        }
        return resolved;
    }

    /** The core-api jar's Export-Package, after checking that its classes are the ones on this class path. */
    private static String apiExports(Path system) throws IOException {
        for (Path jar : systemJars(system)) {
            if (!symbolicName(jar).equals("io.junction.api")) {
                continue;
            }
            String exports;
            try (JarFile file = new JarFile(jar.toFile())) {
                exports = file.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            }
            Path onClassPath = classPathJar(CapabilityRouter.class);
            if (onClassPath == null || Files.size(onClassPath) != Files.size(jar)
                    || Files.mismatch(onClassPath, jar) != -1) {
                throw new IllegalStateException("the core-api on the class path (" + onClassPath + ") is not the "
                        + "distribution's " + jar.getFileName() + ": put " + dist().resolve("system").resolve(jar.getFileName())
                        + " on the class path");
            }
            return exports;
        }
        throw new IllegalStateException("no core-api bundle (io.junction.api) in " + system);
    }

    private static Path classPathJar(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static List<Path> systemJars(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? "" : bsn.split(";")[0].strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
