package io.junction.benchmarks;

import io.junction.api.CapabilityUnavailableException;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.EmsService;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * The hot-swap gap: how long after {@code bundle.update(...)} of the test provider starts the
 * router first answers a call with the new version, while a thread calls the router without
 * pause. Alternates version 1 (the test provider's jar as built) and version 2 (the same jar with
 * only {@code Bundle-Version} rewritten to 2.0.0); each answer names the major version that served
 * it ({@code v1 ...}, {@code v2 ...}).
 *
 * <p>For each update it reports, from the start of {@code update()}: when the old role-a
 * {@link EmsService} was unregistered and the new one registered (the framework's and
 * Declarative Services' part), when {@code update()} returned, and when the first call was
 * answered by the new version (the gap); and, during the gap, how many calls the hammering thread
 * made, how many failed with {@link CapabilityUnavailableException}, failed otherwise, or were
 * still answered by the old version.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.junction.benchmarks.HotSwap [updates]</pre>
 */
public final class HotSwap {
    private static final String VM = "vm-1";
    private static final String ROLE_A = "(&(" + Constants.OBJECTCLASS + "=" + EmsService.class.getName() + ")("
            + EmsService.TYPE + "=testbed)(" + EmsService.ROLE + "=a))";

    private HotSwap() {
    }

    /** One update being measured; the hammering thread and the service listener fill it in. */
    static final class Swap {
        final int major;
        final String prefix;
        final long start;
        volatile long unregistered;
        volatile long registered;
        volatile long updateReturned;
        final AtomicLong answered = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong calls = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong otherFailures = new AtomicLong();
        final AtomicLong oldAnswers = new AtomicLong();
        volatile String firstOtherFailure;
        /** How long the call that brought the first answer of the new version took (it opened the new handle). */
        volatile long firstNewCall;

        Swap(int major, long start) {
            this.major = major;
            this.prefix = "v" + major + " ";
            this.start = start;
        }

        boolean inGap() {
            return answered.get() == 0;
        }

        void answeredNew(long at, long took) {
            if (answered.compareAndSet(0, at)) {
                firstNewCall = took;
                done.countDown();
            }
        }

        double ms(long at) {
            return at == 0 ? Double.NaN : (at - start) / 1e6;
        }
    }

    /** Calls the router in a loop and files each outcome under the update in progress. */
    static final class Hammer implements Runnable {
        private final CapabilityRouter router;
        private final long emsId;
        volatile Swap current;
        volatile boolean stop;
        final AtomicLong total = new AtomicLong();

        Hammer(CapabilityRouter router, long emsId) {
            this.router = router;
            this.emsId = emsId;
        }

        @Override
        public void run() {
            while (!stop) {
                String text = null;
                RuntimeException failure = null;
                long began = System.nanoTime();
                try {
                    text = router.call(emsId, PowerCapability.class, p -> p.perform(VM, PowerAction.START)).rawState();
                } catch (RuntimeException e) {
                    failure = e;
                }
                long now = System.nanoTime();
                total.incrementAndGet();
                Swap swap = current;
                if (swap == null || !swap.inGap()) {
                    continue;
                }
                swap.calls.incrementAndGet();
                if (failure instanceof CapabilityUnavailableException) {
                    swap.unavailable.incrementAndGet();
                } else if (failure != null) {
                    swap.otherFailures.incrementAndGet();
                    if (swap.firstOtherFailure == null) {
                        swap.firstOtherFailure = failure.toString();
                    }
                } else if (text.startsWith(swap.prefix)) {
                    swap.answeredNew(now, now - began);
                } else {
                    swap.oldAnswers.incrementAndGet();
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        byte[] v1 = Files.readAllBytes(EmbeddedJunction.testProviderJar());
        String builtVersion = bundleVersion(v1);
        if (!builtVersion.startsWith("1.")) {
            throw new IllegalStateException("the test provider's jar has Bundle-Version " + builtVersion + ", expected 1.x");
        }
        byte[] v2 = withBundleVersion(v1, "2.0.0");

        try (EmbeddedJunction junction = EmbeddedJunction.start(new ByteArrayInputStream(v1))) {
            CapabilityRouter router = junction.service(CapabilityRouter.class);
            long emsId = junction.createTestbedEms("hotswap");
            Bundle provider = junction.bundle(EmbeddedJunction.TEST_PROVIDER);
            BundleContext context = junction.context();

            Hammer hammer = new Hammer(router, emsId);
            ServiceListener listener = event -> {
                Swap swap = hammer.current;
                if (swap == null) {
                    return;
                }
                long now = System.nanoTime();
                if (event.getType() == ServiceEvent.UNREGISTERING && swap.unregistered == 0) {
                    swap.unregistered = now;
                } else if (event.getType() == ServiceEvent.REGISTERED && swap.registered == 0) {
                    swap.registered = now;
                }
            };
            context.addServiceListener(listener, ROLE_A);
            Thread thread = new Thread(hammer, "hammer");
            thread.setDaemon(true);
            thread.start();
            Thread.sleep(2_000); // the calling path warms up

            System.out.printf(Locale.ROOT, "calls before the first update: %d (%.0f ns/call)%n",
                    hammer.total.get(), 2e9 / Math.max(1, hammer.total.get()));
            System.out.printf(Locale.ROOT, "%-9s %12s %12s %12s %10s %8s %12s %8s %10s%n", "update", "unregistered",
                    "registered", "update()", "gap", "calls", "unavailable", "other", "old answer");
            List<Swap> swaps = new ArrayList<>();
            for (int i = 0; i < updates; i++) {
                int major = i % 2 == 0 ? 2 : 1;
                Swap swap = new Swap(major, System.nanoTime());
                hammer.current = swap;
                provider.update(new ByteArrayInputStream(major == 2 ? v2 : v1));
                swap.updateReturned = System.nanoTime();
                if (!swap.done.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("version " + major + " did not answer within 30 s of the update");
                }
                hammer.current = null;
                swaps.add(swap);
                System.out.printf(Locale.ROOT, "v%d -> v%d %9.2f ms %9.2f ms %9.2f ms %7.2f ms %8d %12d %8d %10d%s%n",
                        3 - major, major, swap.ms(swap.unregistered), swap.ms(swap.registered), swap.ms(swap.updateReturned),
                        swap.ms(swap.answered.get()), swap.calls.get(), swap.unavailable.get(), swap.otherFailures.get(),
                        swap.oldAnswers.get(), swap.firstOtherFailure == null ? "" : "  first other failure: " + swap.firstOtherFailure);
                Thread.sleep(500);
            }
            hammer.stop = true;
            thread.join(10_000);
            context.removeServiceListener(listener);

            System.out.println();
            System.out.println("updates: " + swaps.size() + " (v1 -> v2 -> v1 ..., the router called without pause)");
            summary("gap (update() start to first answer of the new version)", swaps, s -> s.answered.get() - s.start);
            summary("update() call (baseline: framework and DS)", swaps, s -> s.updateReturned - s.start);
            summary("new service registered (baseline)", swaps, s -> s.registered - s.start);
            summary("no service (unregistering to registered)", swaps, s -> s.registered - s.unregistered);
            summary("new service registered to first answer", swaps, s -> s.answered.get() - s.registered);
            summary("the first call answered by the new version took", swaps, s -> s.firstNewCall);
            long unavailable = swaps.stream().mapToLong(s -> s.unavailable.get()).sum();
            long other = swaps.stream().mapToLong(s -> s.otherFailures.get()).sum();
            long calls = swaps.stream().mapToLong(s -> s.calls.get()).sum();
            long[] perSwap = swaps.stream().mapToLong(s -> s.unavailable.get()).sorted().toArray();
            System.out.printf(Locale.ROOT, "calls failing with CapabilityUnavailableException during the gaps: %d of %d "
                    + "(per update: median %d, min %d, max %d); other failures: %d%n", unavailable, calls,
                    perSwap[perSwap.length / 2], perSwap[0], perSwap[perSwap.length - 1], other);
            double gap = median(swaps, s -> s.answered.get() - s.start);
            double update = median(swaps, s -> s.updateReturned - s.start);
            System.out.printf(Locale.ROOT, "ratio: median gap / median update() call = %.2f%n", gap / update);
        }
    }

    interface Nanos {
        long of(Swap swap);
    }

    private static void summary(String what, List<Swap> swaps, Nanos nanos) {
        long[] values = swaps.stream().mapToLong(nanos::of).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-58s median %8.2f ms  min %8.2f ms  max %8.2f ms%n", what + ":",
                median(swaps, nanos) / 1e6, values[0] / 1e6, values[values.length - 1] / 1e6);
    }

    private static double median(List<Swap> swaps, Nanos nanos) {
        long[] values = swaps.stream().mapToLong(nanos::of).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }

    static String bundleVersion(byte[] jar) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            return in.getManifest().getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        }
    }

    /** A copy of the jar with only Bundle-Version in its manifest changed. */
    static byte[] withBundleVersion(byte[] jar, String version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(jar.length + 256);
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue(Constants.BUNDLE_VERSION, version);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    if (entry.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
