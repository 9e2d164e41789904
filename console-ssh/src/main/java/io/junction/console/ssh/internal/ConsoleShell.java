package io.junction.console.ssh.internal;

import io.junction.api.security.Caller;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.apache.sshd.server.Environment;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive console of an SSH session: a JLine line editor with the caller's own history,
 * commands run in the caller's Gogo session, Ctrl-C interrupting the running command, {@code exit}
 * (or Ctrl-D) ending the session, and nothing else (Gogo's own shell would stop the framework on
 * exit and share one history file between all users).
 */
final class ConsoleShell extends ConsoleChannel {
    static final String PROMPT = "junction> ";

    private final RemoteCommandProcessor processor;
    private final String version;
    private final Path historyDir;
    private final ConsoleCompleter.Sources completions;

    ConsoleShell(RemoteCommandProcessor processor, String version, Path historyDir, ConsoleCompleter.Sources completions) {
        this.processor = processor;
        this.version = version;
        this.historyDir = historyDir;
        this.completions = completions;
    }

    /** Session settings every remote session gets: unqualified names find the ems commands first. */
    static void prepare(CommandSession session, Terminal terminal) {
        session.put("SCOPE", "ems:*");
        // SecretReader and Gogo's own commands find the session's terminal here.
        session.put(".terminal", terminal);
    }

    @Override
    protected int run(Caller caller, Environment env) throws Exception {
        try (Terminal terminal = SshTerminals.forShell(in, out, env)) {
            PrintStream output = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            CommandSessionImpl session = processor.createSession(caller, terminal.input(), output, output);
            try {
                prepare(session, terminal);
                LineReader reader = LineReaderBuilder.builder()
                        .terminal(terminal)
                        .appName("junction")
                        .completer(new ConsoleCompleter(processor, caller, completions))
                        .variable(LineReader.HISTORY_FILE, history(caller))
                        .build();
                terminal.handle(Terminal.Signal.INT, signal -> {
                    Job job = session.foregroundJob();
                    if (job != null) {
                        job.interrupt();
                    }
                });
                terminal.writer().println("Junction " + version + " - " + caller.user() + " (" + caller.role().id() + ")"
                        + "; 'help' lists the commands you may run, 'exit' ends the session.");
                terminal.flush();
                loop(session, reader, terminal);
                reader.getHistory().save();
            } finally {
                session.close();
            }
        }
        return 0;
    }

    private void loop(CommandSessionImpl session, LineReader reader, Terminal terminal) {
        while (!Thread.currentThread().isInterrupted()) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            String command = line.strip();
            if (command.isEmpty()) {
                continue;
            }
            if (command.equals("exit") || command.equals("logout") || command.equals("quit")) {
                return;
            }
            try {
                Object result = session.execute(command);
                if (result != null) {
                    String text = result instanceof CharSequence ? result.toString()
                            : String.valueOf(session.format(result, Converter.INSPECT));
                    terminal.writer().print(text.endsWith("\n") ? text : text + "\n");
                }
            } catch (Exception e) {
                terminal.writer().println("error: " + ConsoleErrors.describe(e));
            }
            terminal.flush();
        }
    }

    /** One history file per user under data/, owner-only: commands can name hosts and users. */
    private Path history(Caller caller) throws IOException {
        Files.createDirectories(historyDir);
        Path file = historyDir.resolve(caller.user().replaceAll("[^A-Za-z0-9._-]", "_") + ".history");
        if (!Files.exists(file)) {
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        return file;
    }
}
