package io.junction.testprovider.internal;

import io.junction.api.AuthenticationException;
import io.junction.api.Secret;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.FrameworkUtil;

/**
 * A handle that answers every call with a text naming what served it: the bundle's major
 * version, the connection and the credential it was opened with. Hosts and secrets with
 * particular names make it fail the way real servers do, so tests can see each error.
 */
final class TestbedHandle implements ServiceHandle, PowerCapability, InventoryCapability, EventCapability {
    private final String served;
    private final String host;
    private final String secret;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestbedHandle(ServiceContext context) {
        this.host = context.connection().host();
        try (Secret s = context.readSecret()) {
            this.secret = new String(s.reveal());
        }
        int generation = FrameworkUtil.getBundle(TestbedHandle.class).getVersion().getMajor();
        this.served = "v" + generation + " role=" + context.connection().role() + " conn=" + context.connection().id()
                + " host=" + host + " user=" + context.credential().user() + " secret=" + secret;
    }

    @Override
    public void verify() {
        if (host.endsWith(".unreachable")) {
            throw new UnreachableException("connection refused by " + host);
        }
        if (host.startsWith("untrusted.")) {
            throw new TlsTrustException("certificate of " + host + " is not trusted");
        }
        if (secret.equals("wrong")) {
            throw new AuthenticationException("user refused by " + host);
        }
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public Set<PowerAction> supportedActions() {
        return EnumSet.of(PowerAction.START, PowerAction.STOP, PowerAction.RESTART);
    }

    @Override
    public PowerResult perform(String vmRef, PowerAction action) {
        if (closed.get()) {
            throw new IllegalStateException("handle used after close");
        }
        if (vmRef.startsWith("slow-")) {
            // Lets tests keep a call in flight across a bundle update.
            try {
                Thread.sleep(Long.parseLong(vmRef.substring(5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new PowerResult(action == PowerAction.STOP ? PowerState.OFF : PowerState.ON, served + " vm=" + vmRef + " action=" + action.label());
    }

    @Override
    public void collect(InventorySink sink) {
        sink.vm(new VmItem("vm-1", served, false, null, 1, 512, null, List.of(), PowerState.ON, "running"));
    }

    @Override
    public EventSubscription subscribe(String cursor, EventSink sink) {
        sink.deliver(List.of(new EmsEvent("testbed", "e-" + (cursor == null ? 0 : cursor), "test.event", "info", Instant.now(),
                null, served, null)), cursor == null ? "1" : cursor);
        return () -> { };
    }
}
