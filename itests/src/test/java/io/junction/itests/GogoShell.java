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
        Outcome outcome = run(command);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.output();
    }

    /** Runs a command that must fail; returns the failure's message. */
    String fail(String command) {
        return failPrinting(command).error();
    }

    /**
     * Runs a command that must fail, as {@code ems:verify} does when a check is not ok; returns
     * what it printed before failing, and the failure's message.
     */
    Outcome failPrinting(String command) {
        Outcome outcome = run(command);
        if (outcome.failure() == null) {
            throw new AssertionError("expected '" + command + "' to fail, but it printed: " + outcome.output());
        }
        return outcome;
    }

    /** What a command printed (and returned), and what it threw, if it did. */
    record Outcome(String output, Exception failure) {
        String error() {
            return failure == null ? null : failure.getMessage();
        }
    }

    private Outcome run(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            String returned = result == null ? "" : String.valueOf(session.format(result, 0));
            return new Outcome(out.toString(StandardCharsets.UTF_8) + returned, null);
        } catch (Exception e) {
            return new Outcome(out.toString(StandardCharsets.UTF_8), e);
        } finally {
            session.close();
        }
    }
}
