package io.junction.provider.microsoft.internal.powershell;

import io.junction.api.JunctionException;
import io.junction.api.ProviderException;
import io.junction.provider.microsoft.internal.winrm.WinRmShell;
import java.time.Duration;

/** Runs scripts through a WinRM shell and turns PowerShell's errors into one-line {@link ProviderException}s. */
public final class PowerShell {
    /**
     * Starts every script: stop at the first error (so it reaches stderr and the exit code), no
     * progress records. Output is UTF-8 because the shell is created with code page 65001.
     */
    public static final String PREAMBLE = "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';";

    private PowerShell() {
    }

    /**
     * Runs the script and reads its output.
     *
     * @param quietLimit how long it may go without output
     * @throws ProviderException with PowerShell's error when the script failed or its output is unreadable
     */
    public static <T> T run(WinRmShell shell, PowerShellScript script, Duration quietLimit, WinRmShell.StdoutReader<T> reader) {
        WinRmShell.Outcome<T> outcome = shell.run(script.commandLine(), quietLimit, reader);
        if (outcome.exitCode() != 0) {
            String line = Clixml.errorLine(outcome.stderr());
            throw new ProviderException(line != null ? line
                    : outcome.exitCode() < 0 ? "PowerShell output was abandoned before the command finished"
                    : "PowerShell exited with code " + outcome.exitCode());
        }
        Exception failure = outcome.readerFailure();
        if (failure instanceof JunctionException j) {
            throw j;
        }
        if (failure != null) {
            String line = Clixml.errorLine(outcome.stderr());
            throw new ProviderException("unreadable PowerShell output: " + (line != null ? line : failure.getMessage()), failure);
        }
        return outcome.value();
    }
}
