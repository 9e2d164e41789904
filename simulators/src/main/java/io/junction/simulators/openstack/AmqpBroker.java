package io.junction.simulators.openstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;

/**
 * An Apache Qpid Broker-J in this JVM: one plain (no TLS) AMQP 0-9-1 port on 127.0.0.1, one
 * account (PLAIN), one in-memory virtual host that any virtual host name (also RabbitMQ's "/")
 * reaches. Nothing outlives {@link #stop()}.
 */
final class AmqpBroker {
    private final SystemLauncher launcher;
    private final Path workDir;
    private final int port;

    private AmqpBroker(SystemLauncher launcher, Path workDir, int port) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.port = port;
    }

    static AmqpBroker start(int port, String user, String password) {
        Path work = null;
        try {
            work = Files.createTempDirectory("junction-amqp-");
            Map<String, Object> config = Map.of(
                    "name", "openstack-simulator",
                    "modelVersion", "8.0",
                    "authenticationproviders", List.of(Map.of(
                            "name", "plain", "type", "Plain", "secureOnlyMechanisms", List.of(),
                            "users", List.of(Map.of("name", user, "type", "managed", "password", password)))),
                    "ports", List.of(Map.of(
                            "name", "AMQP", "port", port, "bindingAddress", "127.0.0.1",
                            "protocols", List.of("AMQP_0_9_1", "AMQP_0_9", "AMQP_0_8"),
                            "authenticationProvider", "plain",
                            "virtualhostaliases", List.of(
                                    Map.of("name", "nameAlias", "type", "nameAlias"),
                                    Map.of("name", "defaultAlias", "type", "defaultAlias")))),
                    "virtualhostnodes", List.of(Map.of(
                            "name", "default", "type", "Memory", "defaultVirtualHostNode", "true",
                            "virtualHostInitialConfiguration", "{\"type\":\"Memory\"}")));
            Path initial = work.resolve("initial-config.json");
            new ObjectMapper().writeValue(initial.toFile(), config);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", initial.toUri().toString());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", Map.of("qpid.work_dir", work.toString(), "qpid.home_dir", work.toString(),
                    "qpid.broker.defaultPreferenceStoreAttributes", "{\"type\": \"Noop\"}"));
            AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
            SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(SystemConfig<?> config) {
                    system.set(config);
                }
            });
            launcher.startup(attributes);
            int bound = -1;
            Broker<?> broker = system.get().getContainer(Broker.class);
            for (Port<?> p : broker.getPorts()) {
                if (p.getName().equals("AMQP")) {
                    bound = p.getBoundPort();
                }
            }
            if (bound <= 0) {
                launcher.shutdown();
                throw new IllegalStateException("the AMQP port did not open");
            }
            return new AmqpBroker(launcher, work, bound);
        } catch (Exception e) {
            if (work != null) {
                delete(work);
            }
            throw new IllegalStateException("Cannot start the AMQP broker: " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    void stop() {
        try {
            launcher.shutdown();
        } finally {
            delete(workDir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
