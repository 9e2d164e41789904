package io.junction.simulators.winrm;

/**
 * A command as the simulator received it: who sent it, in which shell, the command line, and the
 * PowerShell script decoded from {@code -EncodedCommand} (null when there was none).
 */
public record ReceivedCommand(String user, String shellId, String commandId, String commandLine, String script) {
}
