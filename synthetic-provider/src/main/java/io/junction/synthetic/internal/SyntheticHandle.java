package io.junction.synthetic.internal;

import io.junction.api.ProviderException;
import io.junction.api.Secret;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.service.Capability;
import io.junction.api.service.EmsEvent;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A synthetic EMS: no server behind it, only the shape in its connection's path. */
final class SyntheticHandle implements ServiceHandle, InventoryCapability, PowerCapability, EventCapability {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticHandle.class);

    private final SyntheticShape shape;
    private final AtomicLong generation = new AtomicLong();
    private final List<Thread> emitters = new CopyOnWriteArrayList<>();

    SyntheticHandle(ServiceContext context) {
        this.shape = SyntheticShape.parse(context.connection().path());
        // Read and drop the secret: a real provider would authenticate with it.
        try (Secret ignored = context.readSecret()) {
            LOG.debug("Synthetic handle for {} with shape {}", context.connection().url(), shape);
        }
    }

    @Override
    public void verify() {
        // Nothing to reach.
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public void collect(InventorySink sink) {
        SyntheticInventory.emit(shape, generation.getAndIncrement(), sink);
    }

    @Override
    public Set<PowerAction> supportedActions() {
        return EnumSet.allOf(PowerAction.class);
    }

    @Override
    public PowerResult perform(String vmRef, PowerAction action) {
        if (!vmRef.startsWith("vm-")) {
            throw new ProviderException("no VM " + vmRef);
        }
        return switch (action) {
            case START, RESUME, RESTART, RESET -> new PowerResult(PowerState.ON, "Running");
            case STOP, SHUTDOWN -> new PowerResult(PowerState.OFF, "PowerOff");
            case SUSPEND -> new PowerResult(PowerState.SUSPENDED, "Saved");
        };
    }

    /**
     * Delivers {@code events} per second in batches every 100 ms. Event n has id {@code evt-n}
     * and the cursor after it is {@code n}, so a subscription resumes exactly after the last
     * stored event.
     */
    @Override
    public EventSubscription subscribe(String cursor, EventSink sink) {
        long start = cursor == null ? 0 : Long.parseLong(cursor);
        Thread emitter = new Thread(() -> {
            long next = start + 1;
            double perTick = shape.events() / 10.0;
            double owed = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(100);
                    owed += perTick;
                    int n = (int) owed;
                    owed -= n;
                    if (n == 0) {
                        continue;
                    }
                    List<EmsEvent> batch = new ArrayList<>(n);
                    for (int k = 0; k < n; k++, next++) {
                        batch.add(event(next));
                    }
                    sink.deliver(batch, Long.toString(next - 1));
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("Synthetic events stopped: {}", e.toString());
            }
        }, "synthetic-events");
        emitter.setDaemon(true);
        if (shape.events() > 0) {
            emitter.start();
            emitters.add(emitter);
        }
        return () -> {
            emitter.interrupt();
            emitters.remove(emitter);
        };
    }

    static EmsEvent event(long n) {
        String vm = "vm-" + SyntheticInventory.seven(n % 1000);
        return new EmsEvent("synthetic", "evt-" + n, n % 5 == 0 ? "vm.power_off" : "vm.alert", n % 7 == 0 ? "warning" : "info",
                Instant.ofEpochMilli(1_700_000_000_000L + n), vm, "synthetic event " + n, Map.of("n", Long.toString(n)));
    }

    @Override
    public void close() {
        emitters.forEach(Thread::interrupt);
        emitters.clear();
    }
}
