package io.junction.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link RunningInstance} with the SSH client jars of {@code lib/client/} in a class loader of
 * their own (parent: the JDK's platform loader), apart from the class path the framework and its
 * bundles start from.
 */
final class ConsoleClient {
    private ConsoleClient() {
    }

    /** Runs the commands in the instance that holds the home; an IOException says why it cannot be reached. */
    static int run(Path home, List<String> commands, java.io.InputStream in, boolean terminal, PrintStream out, PrintStream err)
            throws IOException {
        return call(home, "run", new Class<?>[] {Path.class, List.class, java.io.InputStream.class, boolean.class, PrintStream.class,
            PrintStream.class}, home, commands, in, terminal, out, err);
    }

    /** An interactive session in the instance that holds the home, on this process's terminal. */
    static int shell(Path home, java.io.InputStream in, PrintStream out, PrintStream err) throws IOException {
        return call(home, "shell", new Class<?>[] {Path.class, java.io.InputStream.class, PrintStream.class, PrintStream.class}, home, in, out, err);
    }

    private static int call(Path home, String method, Class<?>[] types, Object... args) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(ConsoleClient.class.getProtectionDomain().getCodeSource().getLocation());
        Path dir = home.resolve("lib/client");
        if (!Files.isDirectory(dir)) {
            throw new IOException("the SSH client to reach it is missing (" + dir + ")");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Method run = loader.loadClass(RunningInstance.class.getName()).getMethod(method, types);
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                return (Integer) run.invoke(null, args);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(GogoSession.describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("the SSH client in " + dir + " cannot be loaded: " + e, e);
        }
    }
}
