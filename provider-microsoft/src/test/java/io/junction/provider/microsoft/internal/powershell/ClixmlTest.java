package io.junction.provider.microsoft.internal.powershell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ClixmlTest {
    static final String CMDLET_ERROR = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
            + "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>"
            + "<MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />"
            + "<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>"
            + "<S S=\"Error\">Start-SCVirtualMachine : VMM cannot complete the requested operation because virtual machine web01 is "
            + "already running. (Error ID: 1731)_x000D__x000A_</S>"
            + "<S S=\"Error\">At line:1 char:96_x000D__x000A_</S>"
            + "<S S=\"Error\">+ ... ;Start-SCVirtualMachine -VM (Get-SCVirtualMachine -ID $id)|Select-Object ..._x000D__x000A_</S>"
            + "<S S=\"Error\">+    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~_x000D__x000A_</S>"
            + "<S S=\"Error\">    + CategoryInfo          : NotSpecified: (:) [Start-SCVirtualMachine], CarmineException_x000D__x000A_</S>"
            + "<S S=\"Error\">    + FullyQualifiedErrorId : 1731,Microsoft.SystemCenter.VirtualMachineManager.Cmdlets.StartVMCmdlet_x000D__x000A_</S>"
            + "<S S=\"Error\"> _x000D__x000A_</S></Objs>";

    @Test
    void cmdletErrorBecomesItsMessage() {
        assertEquals("Start-SCVirtualMachine : VMM cannot complete the requested operation because virtual machine web01 is "
                + "already running. (Error ID: 1731)", Clixml.errorLine(CMDLET_ERROR));
    }

    @Test
    void moduleMissing() {
        String stderr = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<S S=\"Error\">Import-Module : The specified module 'VirtualMachineManager' was not loaded because no valid module "
                + "file was found in any module directory._x000D__x000A_</S><S S=\"Error\">At line:1 char:64_x000D__x000A_</S></Objs>";
        assertEquals("Import-Module : The specified module 'VirtualMachineManager' was not loaded because no valid module file "
                + "was found in any module directory.", Clixml.errorLine(stderr));
    }

    @Test
    void progressOnlyIsNoError() {
        String stderr = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<Obj S=\"progress\" RefId=\"0\"><MS><I64 N=\"SourceId\">1</I64></MS></Obj></Objs>";
        assertNull(Clixml.errorLine(stderr));
        assertNull(Clixml.errorLine(""));
        assertNull(Clixml.errorLine(null));
    }

    @Test
    void plainStderr() {
        assertEquals("'powershell' is not recognized as an internal or external command,",
                Clixml.errorLine("'powershell' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"
                        .split("\r\n")[0]));
    }

    @Test
    void escapesAreDecoded() {
        assertEquals("a\r\nb_c", Clixml.decode("a_x000D__x000A_b_x005F_c"));
    }
}
