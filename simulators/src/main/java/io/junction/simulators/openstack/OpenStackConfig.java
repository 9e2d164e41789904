package io.junction.simulators.openstack;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** How an {@link OpenStackSimulator} is set up: accounts, catalog, inventory, limits, broker. */
public final class OpenStackConfig {
    /** A Keystone user of the {@code Default} domain with a role on every project; admins also see host fields. */
    public record User(String name, String password, boolean admin) {
        public User {
            Objects.requireNonNull(name);
            Objects.requireNonNull(password);
        }
    }

    private final List<User> users = new ArrayList<>();
    private final Set<String> projects = new LinkedHashSet<>();
    private int port;
    private Path caOut;
    private Clock clock = Clock.systemUTC();
    private Duration tokenLifetime = Duration.ofHours(1);
    private String region = "RegionOne";
    private boolean computeInCatalog = true;
    private boolean placementInCatalog = true;
    private int servers = 36;
    private long seed = 1;
    private int maxLimit = 1000;
    private int minMicroversion = 1;
    private int maxMicroversion = 90;
    private Path recorded;
    private boolean amqp = true;
    private String amqpUser = "openstack";
    private String amqpPassword = "openstack-amqp";
    private int amqpPort;

    /** Defaults: no users yet (add at least one with {@link #user}), project {@code demo}, 36 servers, region RegionOne. */
    public static OpenStackConfig create() {
        return new OpenStackConfig();
    }

    /** Adds a user (Default domain). */
    public OpenStackConfig user(String name, String password, boolean admin) {
        users.add(new User(name, password, admin));
        return this;
    }

    /** Adds a project (Default domain); every user has a role on it. Without any, {@code demo} exists. */
    public OpenStackConfig project(String name) {
        projects.add(Objects.requireNonNull(name));
        return this;
    }

    /** The port of Keystone on 127.0.0.1 (0: any free one); Nova and Glance always take free ports. */
    public OpenStackConfig port(int value) {
        port = value;
        return this;
    }

    /** Where the CA certificate is written as PEM. */
    public OpenStackConfig caOut(Path value) {
        caOut = value;
        return this;
    }

    /** The clock tokens are issued and expire by, and timestamps are taken from. */
    public OpenStackConfig clock(Clock value) {
        clock = Objects.requireNonNull(value);
        return this;
    }

    public OpenStackConfig tokenLifetime(Duration value) {
        tokenLifetime = Objects.requireNonNull(value);
        return this;
    }

    public OpenStackConfig region(String value) {
        region = Objects.requireNonNull(value);
        return this;
    }

    /** Leaves Nova out of the service catalog (Nova still listens). */
    public OpenStackConfig withoutComputeInCatalog() {
        computeInCatalog = false;
        return this;
    }

    /** Leaves Placement out of Keystone's catalog (it still listens), as in a cloud that does not publish it to this account. */
    public OpenStackConfig withoutPlacementInCatalog() {
        placementInCatalog = false;
        return this;
    }

    /** Number of generated servers (0..100,000). */
    public OpenStackConfig servers(int value) {
        if (value < 0 || value > 100_000) {
            throw new IllegalArgumentException("servers must be 0..100000, not " + value);
        }
        servers = value;
        return this;
    }

    public OpenStackConfig seed(long value) {
        seed = value;
        return this;
    }

    /** Nova's and Glance's {@code max_limit}: the largest page (default 1000). */
    public OpenStackConfig maxLimit(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxLimit must be positive");
        }
        maxLimit = value;
        return this;
    }

    /** The compute microversions served, as minor numbers of 2.N (default 1..90). */
    public OpenStackConfig microversions(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("bad microversion range 2." + min + "-2." + max);
        }
        minMicroversion = min;
        maxMicroversion = max;
        return this;
    }

    /** A folder of recorded API responses, served before generated ones (see README). */
    public OpenStackConfig recorded(Path folder) {
        recorded = folder;
        return this;
    }

    /** Runs no AMQP broker (power actions then notify nobody). */
    public OpenStackConfig withoutAmqp() {
        amqp = false;
        return this;
    }

    public OpenStackConfig amqpAccount(String user, String password) {
        amqpUser = Objects.requireNonNull(user);
        amqpPassword = Objects.requireNonNull(password);
        return this;
    }

    public OpenStackConfig amqpPort(int value) {
        amqpPort = value;
        return this;
    }

    public List<User> users() {
        return List.copyOf(users);
    }

    public List<String> projects() {
        return projects.isEmpty() ? List.of("demo") : List.copyOf(projects);
    }

    public int port() {
        return port;
    }

    public Path caOut() {
        return caOut;
    }

    public Clock clock() {
        return clock;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    public String region() {
        return region;
    }

    public boolean computeInCatalog() {
        return computeInCatalog;
    }

    public boolean placementInCatalog() {
        return placementInCatalog;
    }

    public int servers() {
        return servers;
    }

    public long seed() {
        return seed;
    }

    public int maxLimit() {
        return maxLimit;
    }

    public int minMicroversion() {
        return minMicroversion;
    }

    public int maxMicroversion() {
        return maxMicroversion;
    }

    public Path recorded() {
        return recorded;
    }

    public boolean amqp() {
        return amqp;
    }

    public String amqpUser() {
        return amqpUser;
    }

    public String amqpPassword() {
        return amqpPassword;
    }

    public int amqpPort() {
        return amqpPort;
    }
}
