package io.junction.core.internal.power;

import io.junction.api.ConflictException;
import io.junction.api.Ems;
import io.junction.api.InvalidInputException;
import io.junction.api.NotFoundException;
import io.junction.api.ShownText;
import io.junction.api.inventory.PowerState;
import io.junction.api.inventory.VmItem;
import io.junction.api.service.CapabilityRouter;
import io.junction.api.service.PowerAction;
import io.junction.api.service.PowerCapability;
import io.junction.api.service.PowerResult;
import io.junction.api.service.VmPower;
import io.junction.api.store.InventoryStore;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link VmPower} through the capability router, the stored state kept in step. */
@Component(service = VmPower.class)
public class RoutedVmPower implements VmPower {
    private final InventoryStore inventory;
    private final CapabilityRouter router;

    @Activate
    public RoutedVmPower(@Reference InventoryStore inventory, @Reference CapabilityRouter router) {
        this.inventory = inventory;
        this.router = router;
    }

    @Override
    public Outcome perform(Ems ems, String vm, PowerAction action) {
        VmItem target = inventory.findVm(ems.id(), vm).orElseThrow(() -> new NotFoundException("EMS '" + ems.name()
                + "' has no VM " + ShownText.quote(vm) + " (see ems:vms " + ems.name() + ", or refresh it)"));
        if (target.template()) {
            throw new InvalidInputException(ShownText.quote(vm) + " is a template; power actions apply to VMs");
        }
        String pointless = pointless(target.powerState(), action);
        if (pointless != null) {
            throw new ConflictException("VM '" + target.name() + "' (" + target.emsRef() + ") is " + pointless + "; refresh the EMS if it is not");
        }
        PowerResult result = router.call(ems.id(), PowerCapability.class, power -> {
            if (!power.supportedActions().contains(action)) {
                throw new InvalidInputException("action '" + action.label() + "' is not supported by provider type '" + ems.type()
                        + "'; supported: " + power.supportedActions().stream().map(PowerAction::label).sorted().collect(Collectors.joining(", ")));
            }
            return power.perform(target.emsRef(), action);
        });
        inventory.recordPower(ems.id(), target.emsRef(), result.state(), result.rawState());
        return new Outcome(target, action, result);
    }

    /** What makes the action pointless in the stored state, or null: only what no provider would do anyway. */
    static String pointless(PowerState state, PowerAction action) {
        return switch (action) {
            case START -> state == PowerState.ON ? "already running" : null;
            case STOP, SHUTDOWN -> state == PowerState.OFF ? "already off" : null;
            case SUSPEND -> state == PowerState.SUSPENDED ? "already suspended" : null;
            case RESUME -> state == PowerState.ON ? "running, not suspended" : null;
            case RESTART, RESET -> null;
        };
    }
}
