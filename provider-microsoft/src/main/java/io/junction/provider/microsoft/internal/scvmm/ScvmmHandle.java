package io.junction.provider.microsoft.internal.scvmm;

import io.junction.api.ProviderException;
import io.junction.api.inventory.InventorySink;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.Capability;
import io.junction.api.service.InventoryCapability;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.ServiceHandle;
import io.junction.provider.microsoft.internal.powershell.JsonItems;
import io.junction.provider.microsoft.internal.powershell.PowerShell;
import io.junction.provider.microsoft.internal.powershell.PowerShellScript;
import io.junction.provider.microsoft.internal.winrm.WinRmClient;
import io.junction.provider.microsoft.internal.winrm.WinRmShell;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Inventory and power of one SCVMM server, through remote PowerShell over WinRM. */
public final class ScvmmHandle implements ServiceHandle, InventoryCapability, PowerCapability {
    private static final Logger LOG = LoggerFactory.getLogger(ScvmmHandle.class);

    private final WinRmClient client;
    private final Duration quiet;
    private final Duration inventoryQuiet;

    public ScvmmHandle(WinRmClient client) {
        this.client = client;
        this.quiet = client.target().operationTimeout();
        // Get-SCVirtualMachine -All on a large server writes nothing until ConvertTo-Json has it all
        this.inventoryQuiet = quiet.multipliedBy(10);
    }

    /** The server's version, after checking that the module loads and the server answers. */
    public String version() {
        try (WinRmShell shell = client.openShell()) {
            AtomicReference<String> version = new AtomicReference<>();
            PowerShell.run(shell, PowerShellScript.of(ScvmmScripts.VERIFY), quiet, in -> JsonItems.forEach(in,
                    o -> version.set(o.firstString("ProductVersion", "Version"))));
            if (version.get() == null) {
                throw new ProviderException("Get-SCVMMServer on " + client.target().address() + " returned no server");
            }
            return version.get();
        }
    }

    @Override
    public void verify() {
        String version = version();
        LOG.debug("SCVMM {} at {}", version, client.target().address());
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public void collect(InventorySink sink) {
        ScvmmMapping mapping = new ScvmmMapping();
        long[] skipped = new long[1];
        try (WinRmShell shell = client.openShell()) {
            each(shell, ScvmmScripts.CLUSTERS, o -> emit(mapping.cluster(o), sink::cluster, skipped));
            each(shell, ScvmmScripts.HOSTS, o -> emit(mapping.host(o), sink::host, skipped));
            each(shell, ScvmmScripts.VMS, o -> emit(ScvmmMapping.vm(o), sink::vm, skipped));
            each(shell, ScvmmScripts.TEMPLATES, o -> emit(ScvmmMapping.template(o), sink::vm, skipped));
        }
        if (skipped[0] > 0) {
            LOG.warn("SCVMM at {}: {} objects without ID or Name left out of the inventory", client.target().address(), skipped[0]);
        }
    }

    private void each(WinRmShell shell, String script, Consumer<JsonItems.Item> each) {
        PowerShell.run(shell, PowerShellScript.of(script), inventoryQuiet, in -> JsonItems.forEach(in, each));
    }

    private static <T> void emit(T item, Consumer<T> sink, long[] skipped) {
        if (item == null) {
            skipped[0]++;
        } else {
            sink.accept(item);
        }
    }

    @Override
    public Set<PowerAction> supportedActions() {
        return EnumSet.allOf(PowerAction.class);
    }

    @Override
    public PowerResult perform(String vmRef, PowerAction action) {
        PowerShellScript script = ScvmmScripts.power(vmRef, action);
        AtomicReference<PowerResult> result = new AtomicReference<>();
        try (WinRmShell shell = client.openShell()) {
            PowerShell.run(shell, script, quiet, in -> JsonItems.forEach(in, o -> {
                VmItem vm = ScvmmMapping.vm(o);
                String raw = o.firstString("VirtualMachineStateString", "StatusString");
                result.set(new PowerResult(vm == null ? ScvmmMapping.vmState(raw) : vm.powerState(), raw));
            }));
        }
        if (result.get() == null) {
            // the power cmdlets return the VM they acted on; nothing back means there was no such VM
            throw new ProviderException("SCVMM at " + client.target().address() + " has no VM with ID " + PowerShellScript.guid(vmRef));
        }
        return result.get();
    }

    @Override
    public void close() {
        client.close();
    }
}
