package io.junction.console.ssh.internal;

import io.junction.api.security.Caller;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.service.command.Converter;
import org.apache.sshd.server.Environment;
import org.jline.terminal.Terminal;

/**
 * An exec request ({@code ssh -p 8101 alice@host 'ems:list'}): runs the command line in a new
 * session of the caller, prints its result on standard output and a failure as one
 * {@code error: ...} line on standard error; exit status 0, or 1 when the command failed.
 * {@link LocalSocket} runs its command lines the same way.
 */
final class ConsoleExec extends ConsoleChannel {
    private final RemoteCommandProcessor processor;
    private final String command;

    ConsoleExec(RemoteCommandProcessor processor, String command) {
        this.processor = processor;
        this.command = command;
    }

    @Override
    protected int run(Caller caller, Environment env) throws Exception {
        try (Terminal terminal = SshTerminals.forExec(in, out)) {
            return execute(processor, caller, command, terminal, out, err);
        }
    }

    /**
     * Runs one command line in a new session of the caller, reading from the terminal (a secret
     * asked for): the result on {@code out}, a failure as one {@code error: ...} line on {@code err};
     * returns the exit status. The one way a command line from outside runs: SSH exec requests and
     * the local socket.
     */
    static int execute(RemoteCommandProcessor processor, Caller caller, String command, Terminal terminal, OutputStream out,
                       OutputStream err) {
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandSessionImpl session = processor.createSession(caller, terminal.input(), stdout, stderr);
        try {
            ConsoleShell.prepare(session, terminal);
            Object result = session.execute(command);
            if (result != null) {
                String text = result instanceof CharSequence ? result.toString() : String.valueOf(session.format(result, Converter.INSPECT));
                stdout.print(text.endsWith("\n") ? text : text + "\n");
            }
            return 0;
        } catch (Exception e) {
            stdout.flush();
            stderr.println("error: " + ConsoleErrors.describe(e));
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
            session.close();
        }
    }
}
