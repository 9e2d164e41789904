package io.junction.synthetic.internal;

import io.junction.api.ProviderException;
import io.junction.api.Secret;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.service.Capability;
import io.junction.api.service.EventCapability;
import io.junction.api.service.EventSink;
import io.junction.api.service.EventSubscription;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceContext;
import io.junction.api.service.ServiceHandle;
import io.junction.api.service.TaskScheduler;
import java.util.EnumSet;
import java.util.List;
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
    private final List<SyntheticEvents> sources = new CopyOnWriteArrayList<>();
    private final TaskScheduler scheduler;
    private final String emsName;

    SyntheticHandle(ServiceContext context) {
        this.shape = SyntheticShape.parse(context.connection().path());
        this.scheduler = context.scheduler();
        this.emsName = context.ems().name();
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

    /** Events at the shape's rate, from the cursor on; see {@link SyntheticEvents}. */
    @Override
    public EventSubscription subscribe(String cursor, EventSink sink) {
        if (shape.events() <= 0) {
            return () -> { };
        }
        SyntheticEvents source = new SyntheticEvents(shape.events(), cursor == null ? 0 : Long.parseLong(cursor), sink, scheduler, emsName);
        sources.add(source);
        source.start();
        return new EventSubscription() {
            @Override
            public void close() {
                source.close();
                sources.remove(source);
            }

            @Override
            public boolean active() {
                return source.active();
            }
        };
    }

    @Override
    public void close() {
        sources.forEach(SyntheticEvents::close);
        sources.clear();
    }
}
