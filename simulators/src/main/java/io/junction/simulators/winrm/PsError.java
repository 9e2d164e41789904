package io.junction.simulators.winrm;

/** A terminating PowerShell error: the message and the two lines PowerShell prints under it. */
final class PsError extends Exception {
    final String command;
    final String categoryInfo;
    final String errorId;

    PsError(String command, String message, String categoryInfo, String errorId) {
        super(message);
        this.command = command;
        this.categoryInfo = categoryInfo;
        this.errorId = errorId;
    }

    static PsError notACommand(String name) {
        return new PsError(name, "The term '" + name + "' is not recognized as the name of a cmdlet, function, script file,"
                + " or operable program. Check the spelling of the name, or if a path was included, verify that the path is"
                + " correct and try again.", "ObjectNotFound: (" + name + ":String) [], CommandNotFoundException",
                "CommandNotFoundException");
    }

    static PsError noParameter(String command, String parameter) {
        return new PsError(command, "A parameter cannot be found that matches parameter name '" + parameter + "'.",
                "InvalidArgument: (:) [" + command + "], ParameterBindingException", "NamedParameterNotFound," + command);
    }

    static PsError badArgument(String command, String parameter, String why) {
        return new PsError(command, "Cannot bind parameter '" + parameter + "'. " + why,
                "InvalidArgument: (:) [" + command + "], ParameterBindingException", "CannotConvertArgument," + command);
    }

    static PsError parse(String why) {
        return new PsError(null, why, "ParserError: (:) [], ParentContainsErrorRecordException", "UnexpectedToken");
    }

    /** A script PowerShell would run but this simulator does not accept (see the README's grammar). */
    static PsError unsupported(String why) {
        return new PsError(null, "This script shape is not accepted by the WinRM simulator: " + why,
                "NotImplemented: (:) [], ParentContainsErrorRecordException", "SimulatorUnsupportedScript");
    }
}
