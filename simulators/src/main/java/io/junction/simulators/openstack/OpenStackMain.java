package io.junction.simulators.openstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar simulators-<v>-all.jar openstack [options]}: starts Keystone, Nova, Glance and
 * the AMQP broker, prints where they are, and runs until stopped.
 */
public final class OpenStackMain {
    static final String USAGE = """
            usage: java -jar simulators-all.jar openstack --user U --password P --ca-out FILE [options]
              --port N              Keystone's port on 127.0.0.1 (0: any free one; Nova and Glance take free ports)
              --project NAME        the project (Default domain; default demo)
              --admin               the user has the admin role (host fields, hypervisors)
              --member U:P          one more, non-admin user (repeat with commas: U1:P1,U2:P2)
              --servers N           generated servers (default 36, up to 100000)  --seed N (default 1)
              --region NAME         region of the catalog endpoints (default RegionOne)
              --no-compute          leave Nova out of the catalog
              --token-lifetime D    ISO-8601 duration (default PT1H)
              --max-limit N         largest page of servers/images (default 1000)
              --recorded DIR        serve recorded responses from DIR first
              --amqp-port N         the broker's port (default 0: any free one)  --no-amqp
              --amqp-user U --amqp-password P   the broker's account (default openstack / openstack-amqp)
            """;
    private static final Set<String> FLAGS = Set.of("--admin", "--no-compute", "--no-amqp");

    private OpenStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (FLAGS.contains(args[i])) {
                o.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i], args[++i]);
            } else {
                System.err.println("Unexpected argument " + args[i]);
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        OpenStackSimulator sim;
        try {
            OpenStackConfig config = OpenStackConfig.create()
                    .user(required(o, "--user"), required(o, "--password"), o.containsKey("--admin"))
                    .project(o.getOrDefault("--project", "demo"))
                    .caOut(Path.of(required(o, "--ca-out")))
                    .port(Integer.parseInt(o.getOrDefault("--port", "0")))
                    .servers(Integer.parseInt(o.getOrDefault("--servers", "36")))
                    .seed(Long.parseLong(o.getOrDefault("--seed", "1")))
                    .region(o.getOrDefault("--region", "RegionOne"))
                    .tokenLifetime(Duration.parse(o.getOrDefault("--token-lifetime", "PT1H")))
                    .maxLimit(Integer.parseInt(o.getOrDefault("--max-limit", "1000")))
                    .amqpPort(Integer.parseInt(o.getOrDefault("--amqp-port", "0")))
                    .amqpAccount(o.getOrDefault("--amqp-user", "openstack"), o.getOrDefault("--amqp-password", "openstack-amqp"));
            if (o.containsKey("--member")) {
                for (String pair : o.get("--member").split(",")) {
                    int colon = pair.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--member wants USER:PASSWORD, not " + pair);
                    }
                    config.user(pair.substring(0, colon), pair.substring(colon + 1), false);
                }
            }
            if (o.containsKey("--no-compute")) {
                config.withoutComputeInCatalog();
            }
            if (o.containsKey("--no-amqp")) {
                config.withoutAmqp();
            }
            if (o.containsKey("--recorded")) {
                config.recorded(Path.of(o.get("--recorded")));
            }
            sim = OpenStackSimulator.start(config);
        } catch (RuntimeException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("keystone url=" + sim.keystoneUrl() + " port=" + sim.keystonePort() + " ca=" + sim.caPem().toAbsolutePath());
        System.out.println("nova url=" + sim.novaUrl());
        System.out.println("glance url=" + sim.glanceUrl());
        System.out.println("placement url=" + sim.placementUrl());
        if (sim.amqpPort() > 0) {
            System.out.println("amqp url=amqp://" + sim.amqpUser() + ":" + sim.amqpPassword() + "@127.0.0.1:" + sim.amqpPort()
                    + "/ exchange=nova");
        }
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
