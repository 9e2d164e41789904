package io.junction.benchmarks;

import io.junction.api.service.CapabilityLease;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Router dispatch on the real bundles: a trivial power call on the test provider, made on the
 * provider's own capability object ({@link #direct}, the baseline), through
 * {@link CapabilityRouter#call} ({@link #routed}), and through an explicit lease
 * ({@link #routedLease}). {@link OneThread} and {@link TwoThreads} run the same three.
 *
 * <p>Each fork boots Junction once ({@link EmbeddedJunction}), creates a testbed EMS with its
 * role-a connection and credential, and keeps the capability object that routing hands out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class RouterDispatch {
    private static final String VM = "vm-1";

    private EmbeddedJunction junction;
    private CapabilityRouter router;
    private long emsId;
    private PowerCapability capability;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        try (InputStream jar = Files.newInputStream(EmbeddedJunction.testProviderJar())) {
            junction = EmbeddedJunction.start(jar);
        }
        router = junction.service(CapabilityRouter.class);
        emsId = junction.createTestbedEms("bench");
        // The provider's own object: routing hands out the pooled handle's capability itself.
        try (CapabilityLease<PowerCapability> lease = router.route(emsId, PowerCapability.class)) {
            capability = lease.capability();
        }
        String direct = capability.perform(VM, PowerAction.START).rawState();
        String routed = router.call(emsId, PowerCapability.class, p -> p.perform(VM, PowerAction.START)).rawState();
        if (!direct.startsWith("v1 ") || !direct.equals(routed)) {
            throw new IllegalStateException("unexpected answers: direct '" + direct + "', routed '" + routed + "'");
        }
    }

    @TearDown(Level.Trial)
    public void shutdown() throws Exception {
        if (junction != null) {
            junction.close();
        }
    }

    /** Baseline: the provider's capability object, called directly. */
    @Benchmark
    public PowerResult direct() {
        return capability.perform(VM, PowerAction.START);
    }

    /** The same call through {@link CapabilityRouter#call}. */
    @Benchmark
    public PowerResult routed() {
        return router.call(emsId, PowerCapability.class, p -> p.perform(VM, PowerAction.START));
    }

    /** The same call through {@link CapabilityRouter#route} and an explicit lease. */
    @Benchmark
    public PowerResult routedLease() {
        try (CapabilityLease<PowerCapability> lease = router.route(emsId, PowerCapability.class)) {
            return lease.capability().perform(VM, PowerAction.START);
        }
    }

    /** One calling thread. */
    @org.openjdk.jmh.annotations.Threads(1)
    public static class OneThread extends RouterDispatch {
    }

    /** Two calling threads on one router, EMS and pooled handle. */
    @org.openjdk.jmh.annotations.Threads(2)
    public static class TwoThreads extends RouterDispatch {
    }
}
