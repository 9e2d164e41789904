package io.junction.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/** Runs shell commands the way an operator types them, in a session of their own. */
final class GogoShell {
    private final CommandProcessor processor;

    GogoShell(CommandProcessor processor) {
        this.processor = processor;
    }

    /** Runs a command and returns what it printed and returned. Throws what the command threw. */
    String exec(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            String returned = result == null ? "" : String.valueOf(session.format(result, 0));
            return out.toString(StandardCharsets.UTF_8) + returned;
        } finally {
            session.close();
        }
    }

    /** Runs a command that must fail; returns the failure's message. */
    String fail(String command) {
        try {
            String output = exec(command);
            throw new AssertionError("expected '" + command + "' to fail, but it printed: " + output);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
