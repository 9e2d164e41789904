package io.junction.simulators.winrm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar simulators-<v>-all.jar scvmm|scom|both [options]}: starts the listeners, prints
 * where they are, and runs until stopped.
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar simulators-all.jar scvmm|scom|both --user U --password P --ca-out FILE [options]
                   java -jar simulators-all.jar openstack --help   (Keystone, Nova, Glance and an AMQP broker)
              --port N            port on 127.0.0.1 (0: any free one; for 'both', the SCVMM port)
              --scom-port N       the SCOM port in 'both' mode (default 0)
              --no-basic          refuse HTTP Basic (NTLM only, like a default Windows listener)
              --no-ntlm           refuse NTLM and Negotiate (Basic only)
              --http              plain HTTP instead of HTTPS (a 5985 listener with AllowUnencrypted=true)
              --seed N            seed of generated names and IDs (default 1)
              --latency PT2S      time each PowerShell command takes before it answers (default none)
              SCVMM: --vms N --hosts N --clusters N --templates N (default 28 3 1 22) | --replay FILE
              SCOM:  --alert-interval ISO-8601 duration (default PT1M) --initial-alerts N (default 5)
            """;
    private static final Set<String> FLAGS = Set.of("--no-basic", "--no-ntlm", "--http");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("openstack")) {
            io.junction.simulators.openstack.OpenStackMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 0 || !Set.of("scvmm", "scom", "both").contains(args[0])) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (FLAGS.contains(args[i])) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("Unexpected argument " + args[i]);
                System.err.print(USAGE);
                System.exit(2);
            }
        }
        List<WinRmSimulator> running = new ArrayList<>();
        try {
            String user = required(options, "--user");
            String password = required(options, "--password");
            Path ca = Path.of(required(options, "--ca-out"));
            TlsIdentity identity = TlsIdentity.create();
            identity.writeCaPem(ca);
            if (!args[0].equals("scom")) {
                running.add(WinRmSimulator.start(common(SimulatorConfig.scvmm(), options, user, password, identity, ca)
                        .port(Integer.parseInt(options.getOrDefault("--port", "0")))));
            }
            if (!args[0].equals("scvmm")) {
                String port = args[0].equals("both") ? options.getOrDefault("--scom-port", "0") : options.getOrDefault("--port", "0");
                running.add(WinRmSimulator.start(common(SimulatorConfig.scom(), options, user, password, identity, ca)
                        .port(Integer.parseInt(port))));
            }
        } catch (RuntimeException e) {
            System.err.println("Cannot start: " + e.getMessage());
            running.forEach(WinRmSimulator::stop);
            System.exit(2);
        }
        for (WinRmSimulator s : running) {
            System.out.println(s.role().name().toLowerCase() + " url=" + s.url() + " port=" + s.port() + " ca=" + s.caPem().toAbsolutePath());
        }
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.forEach(WinRmSimulator::stop);
            stopped.countDown();
        }));
        stopped.await();
    }

    private static SimulatorConfig common(SimulatorConfig config, Map<String, String> o, String user, String password,
            TlsIdentity identity, Path ca) {
        config.account(user, password).identity(identity).caOut(ca).basicAllowed(!o.containsKey("--no-basic"))
                .ntlmAllowed(!o.containsKey("--no-ntlm")).plainHttp(o.containsKey("--http"))
                .seed(Long.parseLong(o.getOrDefault("--seed", "1")))
                .latency(Duration.parse(o.getOrDefault("--latency", "PT0S")));
        if (config.role() == SimulatorConfig.Role.SCVMM) {
            if (o.containsKey("--replay")) {
                config.replay(Path.of(o.get("--replay")));
            } else {
                config.inventory(Integer.parseInt(o.getOrDefault("--clusters", "1")), Integer.parseInt(o.getOrDefault("--hosts", "3")),
                        Integer.parseInt(o.getOrDefault("--vms", "28")), Integer.parseInt(o.getOrDefault("--templates", "22")));
            }
        } else {
            config.alerts(Duration.parse(o.getOrDefault("--alert-interval", "PT1M")),
                    Integer.parseInt(o.getOrDefault("--initial-alerts", "5")));
        }
        return config;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
