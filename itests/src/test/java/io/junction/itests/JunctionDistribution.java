package io.junction.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The unpacked distribution under test. Pax Exam tests boot its {@code system/} bundles with its
 * {@code etc/config.properties}, the way {@code bin/junction -c} does, so there is one bundle
 * list: the distribution's.
 */
public final class JunctionDistribution {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private JunctionDistribution() {
    }

    /** The unpacked distribution directory. */
    public static Path dist() {
        return Path.of(System.getProperty("junction.dist")).toAbsolutePath();
    }

    /** Scratch space of this test run. */
    public static Path work() {
        return Path.of(System.getProperty("junction.itests.work")).toAbsolutePath();
    }

    /** A new Junction home for one test class: the distribution's etc/ and an empty deploy/ and data/. */
    public static Path freshHome(String name) {
        try {
            Path home = work().resolve(name);
            deleteTree(home);
            Files.createDirectories(home.resolve("deploy"));
            Files.createDirectories(home.resolve("data/log"));
            copyTree(dist().resolve("etc"), home.resolve("etc"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file holding exactly this content, as an operator's --secret-file; deleted when the JVM ends. */
    public static Path secretFile(String content) throws IOException {
        Files.createDirectories(work());
        Path file = Files.createTempFile(work(), "secret", ".txt");
        Files.writeString(file, content, java.nio.charset.StandardCharsets.UTF_8);
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * A copy of the distribution at {@code work/<name>/junction} with the synthetic provider in its
     * deploy/, for tests of {@code bin/junction} as a process; {@code -c} waits for that provider too.
     */
    public static Path installWithSyntheticProvider(String name) throws IOException {
        Path home = work().resolve(name).resolve("junction");
        deleteTree(home.getParent());
        copyTree(dist(), home);
        home.resolve("bin/junction").toFile().setExecutable(true);
        String jar = System.getProperty("junction.syntheticprovider.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property junction.syntheticprovider.jar names the synthetic provider (see itests/pom.xml): " + jar);
        }
        Files.copy(Path.of(jar), home.resolve("deploy/synthetic-provider.jar"));
        // A -D in JAVA_OPTS cannot carry this value: bin/junction splits JAVA_OPTS on blanks, and
        // the filters need blanks between them.
        Files.writeString(home.resolve("etc/config.properties"), "\n# the synthetic provider from deploy/\n"
                + "junction.ready.services=(objectClass=io.junction.api.store.EmsStore) "
                + "(&(osgi.command.scope=ems)(osgi.command.function=refresh)) "
                + "(&(objectClass=io.junction.api.service.EmsService)(junction.ems.type=synthetic))\n",
                StandardOpenOption.APPEND);
        return home;
    }

    /** How a {@code bin/junction -c} process ended. */
    public record Run(int status, String out, String err) {
    }

    /**
     * Runs {@code bin/junction -c "commands"} of the home as a process (no terminal, from the
     * home directory) and returns how it ended; fails if it has not ended within 180 s.
     */
    public static Run junction(Path home, String commands) throws Exception {
        Path out = Files.createTempFile(work(), "junction-out", ".txt");
        Path err = Files.createTempFile(work(), "junction-err", ".txt");
        try {
            Process p = new ProcessBuilder(home.resolve("bin/junction").toString(), "-c", commands)
                    .directory(home.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/junction -c \"" + commands + "\" did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Pax Exam options that boot the distribution's bundles on the given home. */
    public static Option[] options(Path home) {
        Properties config = config(home);
        List<Option> options = new ArrayList<>();
        for (String key : config.stringPropertyNames()) {
            if (key.equals("org.osgi.framework.system.packages.extra")) {
                // Pax Exam sets this property for its own packages: add to it rather than replace it.
                for (String pkg : config.getProperty(key).split(",")) {
                    if (!pkg.isBlank()) {
                        options.add(systemPackage(pkg.strip()));
                    }
                }
                continue;
            }
            options.add(frameworkProperty(key).value(config.getProperty(key)));
        }
        options.add(frameworkProperty("junction.home").value(home.toString()));
        options.add(systemProperty("logback.configurationFile").value(home.resolve("etc/logback.xml").toString()));
        options.add(systemProperty("junction.home").value(home.toString()));
        // As bin/junction does: Derby boots with the first driver class load, before Junction's bundles run.
        options.add(systemProperty("derby.stream.error.file").value(home.resolve("data/log/derby.log").toString()));
        Set<String> consoleOnly = Arrays.stream(config.getProperty("junction.console.bundles", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(java.util.HashSet::new));
        // The HTTPS server is not started by bin/junction -c either (RestApiIT runs it as a process).
        consoleOnly.addAll(Arrays.stream(config.getProperty("junction.server.bundles", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet()));
        List<String> early = Arrays.stream(config.getProperty("junction.early.bundles", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Path> jars = new ArrayList<>(systemBundles());
        // As the launcher does: logging first (slf4j 2 looks for logback once, at its first use).
        jars.sort(Comparator.comparingInt(jar -> {
            int i = early.indexOf(symbolicName(jar));
            return i < 0 ? early.size() : i;
        }));
        for (Path jar : jars) {
            // Console-only bundles (gogo.jline) are never started by bin/junction -c either; left
            // installed but unstarted, nothing would resolve them and Pax Exam would fail on them.
            // DistributionIT checks that they resolve in the real launcher.
            if (!consoleOnly.contains(symbolicName(jar))) {
                options.add(early.contains(symbolicName(jar)) ? bundle(jar.toUri().toString()).startLevel(1) : bundle(jar.toUri().toString()));
            }
        }
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }

    /** The jars of system/, in the order the launcher installs them. */
    public static List<Path> systemBundles() {
        try (Stream<Path> jars = Files.list(dist().resolve("system"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties config(Path home) {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(dist().resolve("etc/config.properties"))) {
            raw.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties resolved = new Properties();
        for (String key : raw.stringPropertyNames()) {
            Matcher m = VARIABLE.matcher(raw.getProperty(key));
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = name.equals("junction.home") ? home.toString() : System.getProperty(name, "");
                m.appendReplacement(value, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(value);
            resolved.setProperty(key, value.toString());
        }
        return resolved;
    }

    private static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? "" : bsn.split(";")[0].strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
