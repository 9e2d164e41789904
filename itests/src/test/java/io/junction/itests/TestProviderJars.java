package io.junction.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The test provider's jar (type {@code testbed}, Bundle-Version 1.0.0) and copies of it that
 * differ only in their Bundle-Version, to install, update and remove at run time. Uses nothing
 * but the JDK, so that the test probe never wires to the test provider.
 */
final class TestProviderJars {
    /** Symbolic name of the test provider bundle. */
    static final String SYMBOLIC_NAME = "io.junction.testprovider";

    private TestProviderJars() {
    }

    /** The jar as built: version 1. */
    static Path v1() {
        String path = System.getProperty("junction.testprovider.jar");
        if (path == null) {
            throw new IllegalStateException("system property junction.testprovider.jar is not set (see itests/pom.xml)");
        }
        Path jar = Path.of(path).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("test provider jar not found: " + jar);
        }
        return jar;
    }

    /**
     * A copy of the jar whose manifest says another Bundle-Version; every other header and every
     * entry are the same. Written to {@code target}, which is returned.
     */
    static Path withVersion(Path jar, String bundleVersion, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                Manifest original = in.getManifest();
                if (original == null) {
                    throw new IllegalStateException(jar + " has no manifest");
                }
                Manifest manifest = new Manifest(original);
                manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), bundleVersion);
                try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                    for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                        JarEntry copy = new JarEntry(entry.getName());
                        if (entry.getTime() != -1) {
                            copy.setTime(entry.getTime());
                        }
                        out.putNextEntry(copy);
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Bundle-Version a jar's manifest declares. */
    static String bundleVersion(Path jar) {
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file)) {
            Manifest manifest = in.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
