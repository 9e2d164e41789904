package io.junction.simulators.winrm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the scripts the README's grammar accepts against the inventory (SCVMM) or the alerts
 * (SCOM), writing what Windows PowerShell 5.1 would write: JSON on stdout, errors as CLIXML on
 * stderr and exit code 1. Errors stop the script, as under {@code $ErrorActionPreference = 'Stop'}.
 */
final class PsHost {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CRITERIA = Pattern.compile("\\s*LastModified\\s*(>=|>)\\s*'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final Set<String> POWER = Set.of("start-scvirtualmachine", "stop-scvirtualmachine",
            "suspend-scvirtualmachine", "resume-scvirtualmachine", "reset-scvirtualmachine", "read-scvirtualmachine");
    private static final Set<String> VMM_SOURCES = Set.of("get-scvmmserver", "get-scvmhostcluster", "get-scvmhost",
            "get-scvirtualmachine", "get-scvmtemplate");
    static final String PROGRESS = "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T>"
            + "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV>"
            + "<AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>";

    private final SimulatorConfig.Role role;
    private final VmmInventory inventory;
    private final ScomAlerts alerts;

    PsHost(SimulatorConfig.Role role, VmmInventory inventory, ScomAlerts alerts) {
        this.role = role;
        this.inventory = inventory;
        this.alerts = alerts;
    }

    private record PsObject(ObjectNode node, int vm) {
    }

    private interface Sink {
        void accept(PsObject o) throws IOException, PsError;
    }

    /** One run's variables and stderr records. */
    private final class Run {
        final Map<String, String> variables = new HashMap<>();
        final List<String> stderr = new ArrayList<>();
        final Writer out;

        Run(Writer out) {
            this.out = out;
        }
    }

    /** Runs the script and returns the exit code. */
    int run(String script, Writer stdout, Writer stderr) throws IOException {
        Run run = new Run(stdout);
        int exit = 0;
        try {
            for (PsScript.Statement statement : PsScript.parse(script)) {
                if (statement instanceof PsScript.Assignment a) {
                    assign(run, a);
                } else {
                    pipeline(run, (PsScript.Pipeline) statement);
                }
            }
        } catch (PsError e) {
            run.stderr.add(errorRecord(e));
            exit = 1;
        }
        stdout.flush();
        if (!run.stderr.isEmpty()) {
            stderr.write("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">");
            for (String record : run.stderr) {
                stderr.write(record);
            }
            stderr.write("</Objs>");
        }
        stderr.flush();
        return exit;
    }

    private void assign(Run run, PsScript.Assignment a) throws PsError {
        String name = a.variable().toLowerCase(Locale.ROOT);
        if (name.equals("erroractionpreference") && !Set.of("stop", "continue", "silentlycontinue")
                .contains(a.value().toLowerCase(Locale.ROOT))) {
            throw PsError.unsupported("$ErrorActionPreference may be 'Stop', 'Continue' or 'SilentlyContinue'.");
        }
        run.variables.put(name, a.value());
    }

    private void pipeline(Run run, PsScript.Pipeline p) throws PsError, IOException {
        if (!changesState(p)) {
            pipeline(run, p, run.out);
            return;
        }
        // ConvertTo-Json writes only once all its input is there: a power cmdlet failing half-way leaves stdout empty
        StringWriter buffer = new StringWriter();
        pipeline(run, p, buffer);
        run.out.write(buffer.toString());
    }

    private static boolean changesState(PsScript.Pipeline p) {
        for (PsScript.Command c : p.commands()) {
            if (POWER.contains(c.name().toLowerCase(Locale.ROOT))) {
                return true;
            }
            for (PsScript.Arg a : c.args()) {
                if (a instanceof PsScript.Sub sub && changesState(sub.pipeline())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void pipeline(Run run, PsScript.Pipeline p, Writer out) throws PsError, IOException {
        List<PsScript.Command> commands = p.commands();
        PsScript.Command first = commands.get(0);
        String firstName = first.name().toLowerCase(Locale.ROOT);
        if (firstName.equals("import-module")) {
            sole(p, first);
            importModule(run, first);
            return;
        }
        if (firstName.equals("new-scommanagementgroupconnection") && role == SimulatorConfig.Role.SCOM) {
            sole(p, first);
            Map<String, PsScript.Arg> args = bind(first, Set.of(), Set.of("ComputerName"));
            server(run, first, args);
            return;
        }
        if (firstName.equals("convertto-json")) {
            sole(p, first);
            Map<String, PsScript.Arg> args = bind(first, Set.of("Compress"), Set.of("Depth", "InputObject"));
            int depth = depth(run, args);
            if (!(args.get("InputObject") instanceof PsScript.Sub sub) || !sub.array()) {
                throw PsError.unsupported("ConvertTo-Json as the first command needs -InputObject @(<pipeline>).");
            }
            PsJson json = new PsJson(out, depth);
            out.write('[');
            boolean[] any = {false};
            produce(run, sub.pipeline().commands(), o -> {
                if (any[0]) {
                    out.write(',');
                }
                any[0] = true;
                json.write(o.node(), 0);
            });
            out.write("]\r\n");
            return;
        }
        PsScript.Command last = commands.get(commands.size() - 1);
        String lastName = last.name().toLowerCase(Locale.ROOT);
        List<PsScript.Command> upstream = commands.subList(0, commands.size() - 1);
        if (commands.size() < 2 || !(lastName.equals("convertto-json") || lastName.equals("out-null"))) {
            known(last);
            throw PsError.unsupported("end each pipeline with | ConvertTo-Json -Compress -Depth <n> or | Out-Null.");
        }
        if (lastName.equals("out-null")) {
            bind(last, Set.of(), Set.of());
            produce(run, upstream, o -> { });
            return;
        }
        Map<String, PsScript.Arg> args = bind(last, Set.of("Compress"), Set.of("Depth"));
        PsJson json = new PsJson(out, depth(run, args));
        // ConvertTo-Json writes one input object bare and several as an array
        PsObject[] held = {null};
        int[] count = {0};
        produce(run, upstream, o -> {
            if (count[0] == 0) {
                held[0] = o;
            } else {
                out.write(count[0] == 1 ? "[" : ",");
                if (count[0] == 1) {
                    json.write(held[0].node(), 0);
                    out.write(',');
                    held[0] = null;
                }
                json.write(o.node(), 0);
            }
            count[0]++;
        });
        if (count[0] == 1) {
            json.write(held[0].node(), 0);
        } else if (count[0] > 1) {
            out.write(']');
        }
        if (count[0] > 0) {
            out.write("\r\n");
        }
    }

    private void produce(Run run, List<PsScript.Command> commands, Sink sink) throws PsError, IOException {
        Sink downstream = sink;
        for (int i = commands.size() - 1; i >= 1; i--) {
            PsScript.Command stage = commands.get(i);
            String name = stage.name().toLowerCase(Locale.ROOT);
            known(stage);
            if (!POWER.contains(name) || role != SimulatorConfig.Role.SCVMM) {
                throw PsError.unsupported(stage.name() + " cannot take pipeline input here; pipe Get-SCVirtualMachine -ID into a"
                        + " power cmdlet, then into ConvertTo-Json or Out-Null.");
            }
            Map<String, PsScript.Arg> args = powerArgs(stage);
            if (args.containsKey("VM")) {
                throw PsError.unsupported("give the VM either through the pipeline or with -VM, not both.");
            }
            Sink next = downstream;
            downstream = o -> next.accept(power(stage, args, o));
        }
        PsScript.Command source = commands.get(0);
        String name = source.name().toLowerCase(Locale.ROOT);
        known(source);
        if (role == SimulatorConfig.Role.SCVMM && POWER.contains(name)) {
            Map<String, PsScript.Arg> args = powerArgs(source);
            if (!(args.get("VM") instanceof PsScript.Sub sub) || sub.array()) {
                throw PsError.unsupported(source.name() + " needs -VM (Get-SCVirtualMachine -ID $id) or pipeline input.");
            }
            // -VM binds the sub-pipeline's result: none is a binding error, not an empty answer
            List<PsObject> vms = new ArrayList<>();
            produce(run, sub.pipeline().commands(), vms::add);
            if (vms.isEmpty()) {
                throw new PsError(source.name(), "Cannot validate argument on parameter 'VM'. The argument is null or empty."
                        + " Provide an argument that is not null or empty, and then try the command again.",
                        "InvalidData: (:) [" + source.name() + "], ParameterBindingValidationException",
                        "ParameterArgumentValidationError," + source.name());
            }
            for (PsObject vm : vms) {
                downstream.accept(power(source, args, vm));
            }
            return;
        }
        if (role == SimulatorConfig.Role.SCVMM && VMM_SOURCES.contains(name)) {
            vmmSource(run, source, name, downstream);
            return;
        }
        if (role == SimulatorConfig.Role.SCOM && name.equals("get-scomalert")) {
            Map<String, PsScript.Arg> args = bind(source, Set.of(), Set.of("Criteria"));
            Instant after = null;
            boolean inclusive = false;
            if (args.containsKey("Criteria")) {
                String criteria = value(run, args.get("Criteria"));
                Matcher m = criteria == null ? null : CRITERIA.matcher(criteria);
                if (m == null || !m.matches()) {
                    throw new PsError("Get-SCOMAlert", "The provided criteria is not valid: " + criteria
                            + ". The simulator accepts LastModified > '<yyyy-MM-ddTHH:mm:ss[.fff][Z]>' (or >=), times in UTC.",
                            "InvalidArgument: (:) [Get-SCOMAlert], InvalidCriteriaException",
                            "InvalidCriteria,Microsoft.EnterpriseManagement.OperationsManager.ClientShell.GetAlertCommand");
                }
                inclusive = m.group(1).equals(">=");
                after = utc(m.group(2));
            }
            for (ObjectNode alert : alerts.current()) {
                Instant modified = ScomAlerts.lastModified(alert);
                if (after == null || modified.isAfter(after) || inclusive && modified.equals(after)) {
                    downstream.accept(new PsObject(alert, -1));
                }
            }
            return;
        }
        throw PsError.unsupported(source.name() + " cannot start a pipeline here.");
    }

    private void vmmSource(Run run, PsScript.Command source, String name, Sink sink) throws PsError, IOException {
        switch (name) {
            case "get-scvmmserver" -> {
                server(run, source, bind(source, Set.of(), Set.of("ComputerName")));
                sink.accept(new PsObject(inventory.vmmServer().deepCopy(), -1));
            }
            case "get-scvmhostcluster" -> {
                bind(source, Set.of(), Set.of());
                for (ObjectNode c : inventory.clusters()) {
                    sink.accept(new PsObject(c.deepCopy(), -1));
                }
            }
            case "get-scvmhost" -> {
                bind(source, Set.of(), Set.of());
                for (ObjectNode h : inventory.hosts()) {
                    sink.accept(new PsObject(h.deepCopy(), -1));
                }
            }
            case "get-scvmtemplate" -> {
                bind(source, Set.of("All"), Set.of());
                for (ObjectNode t : inventory.templates()) {
                    sink.accept(new PsObject(t.deepCopy(), -1));
                }
            }
            default -> {
                Map<String, PsScript.Arg> args = bind(source, Set.of("All"), Set.of("ID"));
                if (args.containsKey("All") && args.containsKey("ID")) {
                    throw new PsError(source.name(), "Parameter set cannot be resolved using the specified named parameters.",
                            "InvalidArgument: (:) [Get-SCVirtualMachine], ParameterBindingException", "AmbiguousParameterSet");
                }
                if (args.containsKey("ID")) {
                    UUID id = guid(source.name(), value(run, args.get("ID")));
                    int i = inventory.indexOf(id);
                    if (i >= 0) {
                        sink.accept(new PsObject(inventory.vm(i), i));
                    }
                    return;
                }
                int n = inventory.vmCount();
                for (int i = 0; i < n; i++) {
                    sink.accept(new PsObject(inventory.vm(i), i));
                }
            }
        }
    }

    private Map<String, PsScript.Arg> powerArgs(PsScript.Command c) throws PsError {
        String name = c.name().toLowerCase(Locale.ROOT);
        Map<String, PsScript.Arg> args = name.equals("stop-scvirtualmachine")
                ? bind(c, Set.of("Force", "Shutdown", "SaveState"), Set.of("VM"))
                : bind(c, Set.of(), Set.of("VM"));
        int modes = (args.containsKey("Force") ? 1 : 0) + (args.containsKey("Shutdown") ? 1 : 0) + (args.containsKey("SaveState") ? 1 : 0);
        if (modes > 1) {
            throw new PsError(c.name(), "Parameter set cannot be resolved using the specified named parameters.",
                    "InvalidArgument: (:) [Stop-SCVirtualMachine], ParameterBindingException", "AmbiguousParameterSet");
        }
        return args;
    }

    private PsObject power(PsScript.Command c, Map<String, PsScript.Arg> args, PsObject o) throws PsError {
        if (o.vm() < 0) {
            throw new PsError(c.name(), "The input object is not a virtual machine.",
                    "InvalidArgument: (:) [" + c.name() + "], ParameterBindingException", "InputObjectNotBound");
        }
        String name = c.name().toLowerCase(Locale.ROOT);
        synchronized (inventory) {
            int state = inventory.state(o.vm());
            int next = switch (name) {
                case "start-scvirtualmachine" -> allowed(c, o, state, Set.of(VmmInventory.POWER_OFF, VmmInventory.SAVED), VmmInventory.RUNNING);
                case "suspend-scvirtualmachine" -> allowed(c, o, state, Set.of(VmmInventory.RUNNING), VmmInventory.PAUSED);
                case "resume-scvirtualmachine" -> allowed(c, o, state, Set.of(VmmInventory.PAUSED), VmmInventory.RUNNING);
                case "reset-scvirtualmachine" -> allowed(c, o, state, Set.of(VmmInventory.RUNNING), VmmInventory.RUNNING);
                case "read-scvirtualmachine" -> state;
                default -> {
                    if (args.containsKey("Shutdown")) {
                        yield allowed(c, o, state, Set.of(VmmInventory.RUNNING), VmmInventory.POWER_OFF);
                    }
                    if (args.containsKey("SaveState")) {
                        yield allowed(c, o, state, Set.of(VmmInventory.RUNNING, VmmInventory.PAUSED), VmmInventory.SAVED);
                    }
                    if (args.containsKey("Force")) {
                        yield allowed(c, o, state, Set.of(VmmInventory.RUNNING, VmmInventory.PAUSED, VmmInventory.SAVED), VmmInventory.POWER_OFF);
                    }
                    yield allowed(c, o, state, Set.of(VmmInventory.RUNNING, VmmInventory.PAUSED), VmmInventory.POWER_OFF);
                }
            };
            inventory.setState(o.vm(), next);
            return new PsObject(inventory.vm(o.vm()), o.vm());
        }
    }

    private static int allowed(PsScript.Command c, PsObject o, int state, Set<Integer> from, int to) throws PsError {
        if (!from.contains(state)) {
            throw new PsError(c.name(), "VMM cannot complete " + c.name() + " on virtual machine " + o.node().path("Name").asText()
                    + " because it is in the " + VmmInventory.stateName(state) + " state.",
                    "InvalidOperation: (:) [" + c.name() + "], CarmineException", "InvalidVMState," + c.name());
        }
        return to;
    }

    private void importModule(Run run, PsScript.Command c) throws PsError {
        String module = null;
        List<PsScript.Arg> args = c.args();
        if (args.size() == 1 && !(args.get(0) instanceof PsScript.Param)) {
            module = value(run, args.get(0));
        } else if (args.size() == 2 && args.get(0) instanceof PsScript.Param p && p.name().equalsIgnoreCase("Name")) {
            module = value(run, args.get(1));
        } else {
            throw PsError.unsupported("write Import-Module <ModuleName>.");
        }
        String expected = role == SimulatorConfig.Role.SCVMM ? "VirtualMachineManager" : "OperationsManager";
        if (module == null || !module.equalsIgnoreCase(expected)) {
            throw new PsError("Import-Module", "The specified module '" + module + "' was not loaded because no valid module file"
                    + " was found in any module directory.", "ResourceUnavailable: (" + module + ":String) [Import-Module],"
                    + " FileNotFoundException", "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand");
        }
        if (!"silentlycontinue".equalsIgnoreCase(run.variables.get("progresspreference"))) {
            run.stderr.add(PROGRESS);
        }
    }

    private void server(Run run, PsScript.Command c, Map<String, PsScript.Arg> args) throws PsError {
        String computer = value(run, args.get("ComputerName"));
        if (computer == null || !Set.of("localhost", "127.0.0.1", "vmm01", "vmm01.junction.test", "scom01",
                "scom01.junction.test").contains(computer.toLowerCase(Locale.ROOT))) {
            throw new PsError(c.name(), "You cannot contact the management server \"" + computer + "\". Check the name and try again.",
                    "ReadError: (:) [" + c.name() + "], ServerConnectionException", "ServerConnectionFailed," + c.name());
        }
    }

    private int depth(Run run, Map<String, PsScript.Arg> args) throws PsError {
        if (!args.containsKey("Compress") || !args.containsKey("Depth")) {
            throw PsError.unsupported("ConvertTo-Json needs both -Compress and -Depth <n>.");
        }
        String text = value(run, args.get("Depth"));
        try {
            int depth = Integer.parseInt(text);
            if (depth < 1 || depth > 100) {
                throw new PsError("ConvertTo-Json", "Cannot validate argument on parameter 'Depth'. The " + depth
                        + " argument is " + (depth < 1 ? "less than the minimum" : "greater than the maximum")
                        + " allowed range of " + (depth < 1 ? 1 : 100) + ".",
                        "InvalidData: (:) [ConvertTo-Json], ParameterBindingValidationException",
                        "ParameterArgumentValidationError,Microsoft.PowerShell.Commands.ConvertToJsonCommand");
            }
            return depth;
        } catch (NumberFormatException e) {
            throw PsError.badArgument("ConvertTo-Json", "Depth", "Cannot convert value \"" + text + "\" to type \"System.Int32\".");
        }
    }

    private void known(PsScript.Command c) throws PsError {
        String name = c.name().toLowerCase(Locale.ROOT);
        boolean known = Set.of("import-module", "convertto-json", "out-null").contains(name)
                || role == SimulatorConfig.Role.SCVMM && (POWER.contains(name) || VMM_SOURCES.contains(name))
                || role == SimulatorConfig.Role.SCOM && Set.of("get-scomalert", "new-scommanagementgroupconnection").contains(name);
        if (!known) {
            throw PsError.notACommand(c.name());
        }
    }

    private void sole(PsScript.Pipeline p, PsScript.Command c) throws PsError {
        known(c);
        if (p.commands().size() != 1) {
            throw PsError.unsupported(c.name() + " must stand alone in its statement.");
        }
    }

    /** Binds -Name parameters (full names, any case); no positional arguments. */
    private Map<String, PsScript.Arg> bind(PsScript.Command c, Set<String> switches, Set<String> valued) throws PsError {
        known(c);
        Map<String, PsScript.Arg> out = new LinkedHashMap<>();
        List<PsScript.Arg> args = c.args();
        for (int i = 0; i < args.size(); i++) {
            PsScript.Arg arg = args.get(i);
            if (!(arg instanceof PsScript.Param p)) {
                throw new PsError(c.name(), "A positional parameter cannot be found that accepts argument '" + describe(arg) + "'.",
                        "InvalidArgument: (:) [" + c.name() + "], ParameterBindingException", "PositionalParameterNotFound," + c.name());
            }
            String canonical = canonical(p.name(), switches);
            boolean isSwitch = canonical != null;
            if (canonical == null) {
                canonical = canonical(p.name(), valued);
            }
            if (canonical == null) {
                throw PsError.noParameter(c.name(), p.name());
            }
            if (out.containsKey(canonical)) {
                throw new PsError(c.name(), "Cannot bind parameter because parameter '" + canonical + "' is specified more than once.",
                        "InvalidArgument: (:) [" + c.name() + "], ParameterBindingException", "ParameterAlreadyBound," + c.name());
            }
            if (isSwitch) {
                out.put(canonical, p);
            } else {
                if (i + 1 >= args.size() || args.get(i + 1) instanceof PsScript.Param) {
                    throw new PsError(c.name(), "Missing an argument for parameter '" + canonical + "'. Specify a parameter of"
                            + " the right type and try again.", "InvalidArgument: (:) [" + c.name() + "], ParameterBindingException",
                            "MissingArgument," + c.name());
                }
                out.put(canonical, args.get(++i));
            }
        }
        return out;
    }

    private static String canonical(String name, Set<String> names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }

    private static String describe(PsScript.Arg arg) {
        if (arg instanceof PsScript.Literal l) {
            return l.value();
        }
        if (arg instanceof PsScript.Bareword b) {
            return b.text();
        }
        if (arg instanceof PsScript.Variable v) {
            return "$" + v.name();
        }
        return arg.toString();
    }

    private static String value(Run run, PsScript.Arg arg) throws PsError {
        if (arg instanceof PsScript.Literal l) {
            return l.value();
        }
        if (arg instanceof PsScript.Bareword b) {
            return b.text();
        }
        if (arg instanceof PsScript.Variable v) {
            return run.variables.get(v.name().toLowerCase(Locale.ROOT));
        }
        if (arg instanceof PsScript.Expandable e) {
            return PsScript.expand(e.raw(), run.variables);
        }
        throw PsError.unsupported("a parameter value here must be a string, a $variable or a bareword.");
    }

    private static UUID guid(String command, String text) throws PsError {
        if (text == null || text.isEmpty()) {
            throw new PsError(command, "Cannot validate argument on parameter 'ID'. The argument is null or empty. Provide an"
                    + " argument that is not null or empty, and then try the command again.",
                    "InvalidData: (:) [" + command + "], ParameterBindingValidationException", "ParameterArgumentValidationError," + command);
        }
        String t = text.trim();
        if (t.startsWith("{") && t.endsWith("}") || t.startsWith("(") && t.endsWith(")")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.matches("[0-9a-fA-F]{32}")) {
            t = t.substring(0, 8) + "-" + t.substring(8, 12) + "-" + t.substring(12, 16) + "-" + t.substring(16, 20) + "-" + t.substring(20);
        }
        if (!GUID.matcher(t).matches()) {
            throw PsError.badArgument(command, "ID", "Cannot convert value \"" + text + "\" to type \"System.Guid\". Error: \"Guid"
                    + " should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"");
        }
        return UUID.fromString(t);
    }

    private static Instant utc(String text) throws PsError {
        String t = text.trim().replace(' ', 'T');
        if (t.endsWith("Z") || t.endsWith("z")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new PsError("Get-SCOMAlert", "The provided criteria is not valid: the time '" + text + "' is not"
                    + " yyyy-MM-ddTHH:mm:ss[.fff][Z].", "InvalidArgument: (:) [Get-SCOMAlert], InvalidCriteriaException",
                    "InvalidCriteria,Microsoft.EnterpriseManagement.OperationsManager.ClientShell.GetAlertCommand");
        }
    }

    static String errorRecord(PsError e) {
        List<String> lines = new ArrayList<>();
        lines.add((e.command == null ? "" : e.command + " : ") + e.getMessage());
        lines.add("    + CategoryInfo          : " + e.categoryInfo);
        lines.add("    + FullyQualifiedErrorId : " + e.errorId);
        lines.add(" ");
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append("<S S=\"Error\">").append(clixmlText(line + "\r\n")).append("</S>");
        }
        return b.toString();
    }

    private static String clixmlText(String s) {
        return WsmanEndpoint.escape(s.replace("_x", "_x005F_x")).replace("\r", "_x000D_").replace("\n", "_x000A_");
    }
}
