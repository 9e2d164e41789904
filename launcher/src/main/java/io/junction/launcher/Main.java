package io.junction.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Boots Junction: reads {@code <junction.home>/etc/config.properties}, locks the home directory,
 * starts Felix with every bundle in {@code system/}, then either hands the terminal to the Gogo
 * console ({@code junction}) or runs commands and exits ({@code junction -c "cmd; cmd"}).
 *
 * <p>Exit status: 0 success, 1 a {@code -c} command failed, 2 usage or start-up error.
 */
public final class Main {

    static final String HOME = "junction.home";
    static final String CONSOLE_BUNDLES = "junction.console.bundles";
    static final String READY_SERVICES = "junction.ready.services";
    static final String READY_TIMEOUT = "junction.ready.timeout";
    /** Service property saying in one line why Junction cannot become ready yet. */
    static final String UNREADY = "junction.unready";
    /** Set by bin/junction: whether standard input is a terminal, which the console needs. */
    static final String TERMINAL = "junction.terminal";
    /** Framework property of a {@code -c} run, which starts Junction only to run its commands. */
    static final String COMMANDS_ONLY = "junction.commands.only";
    /** Forget the stored secrets the key file cannot read (read by the store's SecretKeys component). */
    static final String FORGET_SECRETS = "--forget-secrets";
    static final String FORGET_PROPERTY = "junction.secrets.forget";
    /** Service property by which the store says what --forget-secrets did, in one line. */
    static final String FORGOTTEN = "junction.secrets.forgotten";
    /** Derby system property: false makes the files Derby creates owner-only. */
    static final String DERBY_FILE_PERMISSIONS = "derby.storage.useDefaultFilePermissions";
    static final String USAGE = "usage: junction [-h | --help] [-c \"command; command\"] [--forget-secrets]";

    private static final String HELP = String.join(System.lineSeparator(),
            USAGE,
            "",
            "  junction                 start Junction with the interactive shell (without it when standard",
            "                           input is not a terminal: then it runs until stopped with SIGTERM)",
            "  junction -c \"cmd; cmd\"   start Junction, run the commands in one session, stop;",
            "                           exit status 1 if a command failed, 2 if Junction could not start",
            "  junction --forget-secrets",
            "                           forget the stored secrets that the secret key file (etc/junction.key)",
            "                           cannot read, keeping their credentials to be entered again with",
            "                           ems:credential; for when Junction refuses to start because the key is lost",
            "  junction -h, --help      print this help",
            "",
            "Junction's home is the directory above bin/; the log is data/log/junction.log.");

    /** The streams as they were before Gogo's ThreadIO replaced System.out/err. */
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private volatile Framework framework;
    private volatile int exitStatus;
    /** Held (and kept reachable) for the life of the process. */
    private static InstanceLock lock;

    private Main(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public static void main(String[] args) {
        Main main = new Main(System.out, System.err, System.in);
        int status;
        try {
            status = main.run(args);
        } catch (Throwable t) {
            main.error("error: " + GogoSession.describe(t));
            status = 2;
        }
        main.out.flush();
        main.err.flush();
        System.exit(status);
    }

    private int run(String[] args) throws Exception {
        String commands;
        boolean forget = false;
        if (args.length == 0) {
            commands = null;
        } else if (args.length == 1 && args[0].equals(FORGET_SECRETS)) {
            commands = null;
            forget = true;
        } else if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(HELP);
            return 0;
        } else if (args.length == 2 && args[0].equals("-c")) {
            commands = args[1];
        } else if (args[0].equals(FORGET_SECRETS)) {
            return usage(FORGET_SECRETS + " takes no other argument");
        } else if (args[0].equals("-c")) {
            return usage(args.length == 1 ? "-c needs one argument" : "unexpected argument '" + args[2] + "'");
        } else {
            return usage("unknown argument '" + args[0] + "'");
        }

        String homeProperty = System.getProperty(HOME);
        if (homeProperty == null || homeProperty.isBlank()) {
            error("error: system property " + HOME + " is not set; start Junction with bin/junction");
            return 2;
        }
        Path home = Paths.get(homeProperty).toAbsolutePath().normalize();
        Map<String, String> config;
        try {
            config = frameworkProperties(home);
        } catch (IOException e) {
            error("error: cannot read " + home.resolve("etc/config.properties") + ": " + GogoSession.describe(e));
            return 2;
        }

        try {
            readyTimeout(config);
            for (String filter : splitFilters(config.getOrDefault(READY_SERVICES, ""))) {
                FrameworkUtil.createFilter(filter);
            }
        } catch (IllegalArgumentException | InvalidSyntaxException e) {
            error("error: " + (e instanceof InvalidSyntaxException
                    ? "invalid filter in " + READY_SERVICES + ": " + ((InvalidSyntaxException) e).getFilter()
                    : e.getMessage()));
            return 2;
        }

        String loose = OwnerOnlyFiles.looseSecretFile(home.resolve("etc"));
        if (loose != null) {
            error(loose);
            return 2;
        }
        lock = InstanceLock.tryAcquire(home.resolve("data"));
        if (lock == null) {
            boolean terminal = Boolean.parseBoolean(System.getProperty(TERMINAL, String.valueOf(System.console() != null)));
            if (commands != null) {
                // Run them in the instance that holds the home, through its console: by its local
                // socket, or, where it has none, by its SSH console with the local client key.
                try {
                    Integer status = LocalConsole.run(home, CommandSplitter.split(commands), in, terminal, out, err);
                    if (status != null) {
                        return status;
                    }
                    return ConsoleClient.run(home, CommandSplitter.split(commands), in, terminal, out, err);
                } catch (IOException e) {
                    error("error: another Junction is running on " + home + ", and " + e.getMessage());
                    return 2;
                }
            }
            if (terminal) {
                try {
                    return ConsoleClient.shell(home, in, out, err);
                } catch (IOException e) {
                    error("error: another Junction is running on " + home + ", and " + e.getMessage());
                    return 2;
                }
            }
            error("error: another Junction is running on " + home);
            return 2;
        }
        // A Junction whose data/.lock was removed still holds its database: say so now rather than
        // wait for a store that cannot boot.
        Path database = InstanceLock.databaseInUse(home.resolve("data"));
        if (database != null) {
            error("error: the database " + home.relativize(database) + " is in use by another process (a Junction on "
                    + home + " whose data/.lock was removed?); stop it first");
            return 2;
        }
        // bin/junction points Derby's derby.log here; the directory must exist before Derby boots
        Files.createDirectories(home.resolve("data/log"));
        // data/ of an older Junction, or written under a loose umask: owner-only before anything opens it.
        restrict(home);
        // Derby then makes its files owner-only itself, even when started without bin/junction's umask.
        if (System.getProperty(DERBY_FILE_PERMISSIONS) == null) {
            System.setProperty(DERBY_FILE_PERMISSIONS, "false");
        }
        if (forget) {
            config.put(FORGET_PROPERTY, "true");
            return forgetSecrets(home, config);
        }
        ClassArchive classArchive = ClassArchive.of(home);
        if (classArchive != null) {
            classArchive.dropIfStale();
        }
        if (commands == null) {
            return interactive(home, config);
        }
        int status = batch(home, config, commands);
        if (classArchive != null && status != 2) {
            classArchive.recordIfAsked();
        }
        return status;
    }

    private void restrict(Path home) throws IOException {
        String warning = OwnerOnlyFiles.restrict(home.resolve("data"));
        if (warning != null) {
            error(warning);
        }
    }

    private int usage(String problem) {
        error("error: " + problem + "; " + USAGE);
        return 2;
    }

    // ---------------------------------------------------------------------------------------------
    // Modes

    private int interactive(Path home, Map<String, String> config) throws Exception {
        boolean terminal = Boolean.parseBoolean(System.getProperty(TERMINAL, String.valueOf(System.console() != null)));
        if (!terminal) {
            StrayOutput.install(home);
        }
        List<Bundle> console = startFramework(home, config);
        // Let the platform come up before the prompt appears, so the ems commands are there.
        ServiceWaiter.Outcome ready = awaitReady(config, List.of());
        // What the framework, Derby and the log made while starting, whatever the umask.
        restrict(home);
        if (ready.refusal() != null) {
            error("error: " + ready.refusal());
            stopFramework();
            return 2;
        }
        if (ready.missing() != null) {
            error("warning: Junction did not become ready within " + readyTimeout(config) + " s: waiting for "
                    + ready.missing() + "; see data/log/junction.log");
        }
        if (!terminal) {
            // A service manager or a pipe: the console would read end-of-file forever.
            synchronized (err) {
                out.println("Junction is running without its console (standard input is not a terminal); stop it with SIGTERM: kill "
                        + ProcessHandle.current().pid());
                out.flush();
            }
            framework.waitForStop(0);
            return exitStatus;
        }
        Dictionary<String, Object> exit = new Hashtable<>();
        exit.put("osgi.command.scope", "gogo");
        exit.put("osgi.command.function", new String[] {"exit"});
        framework.getBundleContext().registerService(Object.class.getName(), new ExitCommand(this), exit);
        for (Bundle bundle : console) {
            start(bundle, Bundle.START_TRANSIENT);
        }
        framework.waitForStop(0);
        return exitStatus;
    }

    /**
     * {@code exit [status]} for the interactive shell: stops the framework, and the launcher then
     * exits with the status. (Gogo's default profile only offers System.exit(int) as "exit".)
     * Public only because Gogo calls it by reflection.
     */
    public static final class ExitCommand {
        private final Main main;

        ExitCommand(Main main) {
            this.main = main;
        }

        public void exit() throws BundleException {
            exit(0);
        }

        public void exit(int status) throws BundleException {
            main.exitStatus = status;
            main.framework.stop();
        }
    }

    private int batch(Path home, Map<String, String> config, String text) throws Exception {
        StrayOutput.install(home);
        // Only answering commands: on a database shared by nodes, this one takes no EMS's background work.
        config.put(COMMANDS_ONLY, "true");
        startFramework(home, config);
        try {
            if (!ready(home, config, List.of())) {
                return 2;
            }
            return runCommands(CommandSplitter.split(text));
        } finally {
            stopFramework();
            restrict(home);
        }
    }

    /**
     * {@code --forget-secrets}: starts with the store told to forget what the key file cannot read
     * (it is the store that can read the database), says what it did, and stops. Works when a normal
     * start is refused because the key was lost, which is when it is needed.
     */
    private int forgetSecrets(Path home, Map<String, String> config) throws Exception {
        startFramework(home, config);
        try {
            String done = "(" + FORGOTTEN + "=*)";
            if (!ready(home, config, List.of(done))) {
                return 2;
            }
            ServiceReference<?>[] notices = framework.getBundleContext().getAllServiceReferences(null, done);
            out.println(notices[0].getProperty(FORGOTTEN));
            out.flush();
            return 0;
        } finally {
            stopFramework();
            restrict(home);
        }
    }

    /** Waits for the platform; false (said on stderr in one line) when it refused to start or did not come up. */
    private boolean ready(Path home, Map<String, String> config, List<String> alsoWaitFor) throws Exception {
        ServiceWaiter.Outcome ready = awaitReady(config, alsoWaitFor);
        restrict(home);
        if (ready.refusal() != null) {
            error("error: " + ready.refusal());
            return false;
        }
        if (ready.missing() != null) {
            error("error: Junction did not become ready within " + readyTimeout(config) + " s: waiting for "
                    + ready.missing() + "; see data/log/junction.log");
            return false;
        }
        return true;
    }

    private int runCommands(List<String> commands) throws Exception {
        BundleContext context = framework.getBundleContext();
        ServiceReference<?>[] refs = context.getAllServiceReferences(GogoSession.PROCESSOR, null);
        if (refs == null || refs.length == 0) {
            error("error: no Gogo CommandProcessor service; is org.apache.felix.gogo.runtime in system/?");
            return 2;
        }
        ServiceReference<?> ref = refs[0];
        Object processor = context.getService(ref);
        boolean failed = false;
        try (GogoSession session = new GogoSession(processor, ref.getBundle(), in, out, err)) {
            for (String command : commands) {
                try {
                    Object result = session.execute(command);
                    if (result != null) {
                        String text = session.format(result);
                        out.print(text);
                        if (!text.endsWith("\n")) {
                            out.println();
                        }
                    }
                    out.flush();
                } catch (Exception e) {
                    failed = true;
                    error("error: " + GogoSession.describe(e));
                }
            }
        } finally {
            context.ungetService(ref);
        }
        return failed ? 1 : 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Framework

    /** Starts the framework and all bundles of system/ except the console ones, which are returned. */
    private List<Bundle> startFramework(Path home, Map<String, String> config) throws Exception {
        Map<String, Object> properties = new HashMap<>(config);
        properties.put("felix.log.logger", new FelixLogger(out, err));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> untyped = (Map) properties; // Felix accepts objects, e.g. felix.log.logger
        framework = factory.newFramework(untyped);
        framework.init();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopFramework, "junction-shutdown"));
        stopOnSigterm();
        framework.start();

        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : systemJars(home.resolve("system"))) {
            try {
                installed.add(context.installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                error("warning: cannot install " + jar.getFileName() + ": " + GogoSession.describe(e));
            }
        }
        // Resolve everything up front: a console bundle left unstarted still shows as RESOLVED,
        // and whatever cannot resolve stays INSTALLED in "lb" (start() below says why).
        framework.adapt(FrameworkWiring.class).resolveBundles(installed);
        Set<String> consoleNames = splitList(config.getOrDefault(CONSOLE_BUNDLES, ""), ",");
        List<Bundle> console = new ArrayList<>();
        for (Bundle bundle : installed) {
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (consoleNames.contains(bundle.getSymbolicName())) {
                console.add(bundle);
            } else {
                start(bundle, 0);
            }
        }
        return console;
    }

    private void start(Bundle bundle, int options) {
        try {
            bundle.start(options);
        } catch (BundleException | RuntimeException e) {
            error("warning: cannot start " + bundle.getSymbolicName() + " " + bundle.getVersion() + ": "
                    + GogoSession.describe(e));
        }
    }

    private ServiceWaiter.Outcome awaitReady(Map<String, String> config, List<String> alsoWaitFor) throws InterruptedException {
        List<String> filters = splitFilters(config.getOrDefault(READY_SERVICES, ""));
        filters.add("(objectClass=" + GogoSession.PROCESSOR + ")");
        filters.addAll(alsoWaitFor);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeout(config));
        try {
            ServiceWaiter.Outcome outcome = ServiceWaiter.await(framework.getBundleContext(), filters, deadline);
            return outcome.missing() == null ? outcome : new ServiceWaiter.Outcome(null, outcome.missing() + unready());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("invalid filter in " + READY_SERVICES + ": " + e.getFilter(), e);
        }
    }

    /**
     * Why Junction is not ready, as the bundles that know say it: each registers a service with the
     * property {@value #UNREADY} (e.g. the database that cannot be opened) while the problem lasts.
     */
    private String unready() throws InvalidSyntaxException {
        ServiceReference<?>[] refs = framework.getBundleContext().getAllServiceReferences(null, "(" + UNREADY + "=*)");
        StringBuilder reasons = new StringBuilder();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            reasons.append("; ").append(ref.getProperty(UNREADY));
        }
        return reasons.toString();
    }

    private static long readyTimeout(Map<String, String> config) {
        String value = config.getOrDefault(READY_TIMEOUT, "60").strip();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(READY_TIMEOUT + " is not a number of seconds: " + value, e);
        }
    }

    /**
     * SIGTERM is how a service manager asks for a stop: stop the framework in order and let the
     * mode return its status (0), instead of the JVM's default of dying with 143, which service
     * managers report as a failure. A stop that hangs still ends the process, with status 1.
     */
    @SuppressWarnings("restriction")
    private void stopOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                stopFramework();
                Framework f = framework;
                if (f != null && (f.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                    System.exit(1);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No such signal here: the shutdown hook still stops the framework.
        }
    }

    private synchronized void stopFramework() {
        Framework f = framework;
        if (f == null || (f.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        try {
            f.stop();
            FrameworkEvent event = f.waitForStop(30_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                error("warning: the framework did not stop within 30 s");
            }
        } catch (BundleException | InterruptedException e) {
            error("warning: stopping the framework: " + GogoSession.describe(e));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Configuration

    /**
     * etc/config.properties with {@code ${name}} substituted; a system property of the same name
     * as a key in the file overrides it ({@code JAVA_OPTS=-Djunction.ready.timeout=5}).
     */
    static Map<String, String> frameworkProperties(Path home) throws IOException {
        Properties file = new Properties();
        try (InputStream stream = Files.newInputStream(home.resolve("etc/config.properties"))) {
            file.load(stream);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) {
            String override = System.getProperty(key);
            raw.put(key, override != null ? override : file.getProperty(key));
        }
        raw.put(HOME, home.toString());
        Map<String, String> config = Substitution.resolve(raw, System::getProperty);
        config.putIfAbsent(Constants.FRAMEWORK_STORAGE, home.resolve("data/cache").toString());
        config.putIfAbsent(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        return config;
    }

    /** The jars of a directory (system/, lib/), by name. */
    static List<Path> systemJars(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return jars;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : stream) {
                if (Files.isRegularFile(jar)) {
                    jars.add(jar);
                }
            }
        }
        jars.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return jars;
    }

    /** Splits on the separator, dropping blanks. */
    static Set<String> splitList(String value, String separator) {
        Set<String> items = new LinkedHashSet<>();
        for (String part : value.split(separator)) {
            if (!part.isBlank()) {
                items.add(part.strip());
            }
        }
        return items;
    }

    /**
     * Splits a list of LDAP filters, separated by whitespace or simply written one after the
     * other ({@code (a)(b)}, which survives JAVA_OPTS's splitting on blanks); whitespace inside
     * parentheses belongs to a filter.
     */
    static List<String> splitFilters(String value) {
        List<String> filters = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                if (depth == 0) {
                    current.append(c);
                    filters.add(current.toString());
                    current.setLength(0);
                    continue;
                }
            }
            if (depth == 0 && Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    filters.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            filters.add(current.toString());
        }
        return filters;
    }

    private void error(String line) {
        synchronized (err) {
            out.flush();
            err.println(line);
            err.flush();
        }
    }
}
