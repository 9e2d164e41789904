package io.junction.provider.microsoft.internal.scvmm;

import io.junction.api.service.PowerAction;
import io.junction.provider.microsoft.internal.powershell.PowerShell;
import io.junction.provider.microsoft.internal.powershell.PowerShellScript;

/**
 * The scripts sent to the SCVMM server: statements of plain pipelines, no script blocks. Every
 * body is a constant; the only value that ever enters one is a VM id, checked to be a GUID and
 * assigned as {@code $id='<guid>';} through {@link PowerShellScript#literal(String)}.
 */
final class ScvmmScripts {
    static final String MODULE = "Import-Module VirtualMachineManager;";

    static final String VERIFY = PowerShell.PREAMBLE + MODULE
            + "Get-SCVMMServer -ComputerName localhost|ConvertTo-Json -Compress -Depth 1";

    /*
     * Lists go through ConvertTo-Json -InputObject @(...), which writes an array even for zero or
     * one object. Depth 1 keeps one level of nested objects (a host's HostCluster, a VM's
     * OperatingSystem and adapters); deeper ones are written as their names, lists as their items
     * joined by spaces.
     */
    static final String CLUSTERS = PowerShell.PREAMBLE + MODULE
            + "ConvertTo-Json -InputObject @(Get-SCVMHostCluster) -Compress -Depth 1";

    static final String HOSTS = PowerShell.PREAMBLE + MODULE
            + "ConvertTo-Json -InputObject @(Get-SCVMHost) -Compress -Depth 1";

    static final String VMS = PowerShell.PREAMBLE + MODULE
            + "ConvertTo-Json -InputObject @(Get-SCVirtualMachine -All) -Compress -Depth 1";

    static final String TEMPLATES = PowerShell.PREAMBLE + MODULE
            + "ConvertTo-Json -InputObject @(Get-SCVMTemplate -All) -Compress -Depth 1";

    /** The VM is found by id inside the cmdlet's -VM argument, so a missing VM fails parameter binding. */
    private static final String VM = " -VM (Get-SCVirtualMachine -ID $id)";
    private static final String POWER_TAIL = "|ConvertTo-Json -Compress -Depth 1";

    private ScvmmScripts() {
    }

    /** The cmdlet call that performs the action on the VM {@code $id}. */
    static String cmdlet(PowerAction action) {
        return switch (action) {
            case START -> "Start-SCVirtualMachine" + VM;
            case STOP -> "Stop-SCVirtualMachine" + VM + " -Force";
            case SHUTDOWN -> "Stop-SCVirtualMachine" + VM + " -Shutdown";
            case SUSPEND -> "Suspend-SCVirtualMachine" + VM;
            case RESUME -> "Resume-SCVirtualMachine" + VM;
            // SCVMM has no guest reboot: both reboots are its reset.
            case RESTART, RESET -> "Reset-SCVirtualMachine" + VM;
        };
    }

    /**
     * The script for a power action on one VM.
     *
     * @throws io.junction.api.InvalidInputException when the reference is not a GUID
     */
    static PowerShellScript power(String vmRef, PowerAction action) {
        return PowerShellScript.of(PowerShell.PREAMBLE + MODULE + cmdlet(action) + POWER_TAIL)
                .with("id", PowerShellScript.guid(vmRef));
    }
}
