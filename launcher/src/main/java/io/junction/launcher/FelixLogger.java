package io.junction.launcher;

import java.io.PrintStream;

import org.apache.felix.framework.Logger;

/**
 * The framework's own log (resolver and start failures, at {@code felix.log.level}) goes to
 * stderr instead of Felix's default stdout, so that stdout carries only command output.
 */
final class FelixLogger extends Logger {

    private final PrintStream err;
    private final PrintStream out;

    FelixLogger(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    protected void doLogOut(int level, String message, Throwable throwable) {
        String label;
        switch (level) {
            case LOG_ERROR: label = "ERROR"; break;
            case LOG_WARNING: label = "WARNING"; break;
            case LOG_INFO: label = "INFO"; break;
            default: label = "DEBUG"; break;
        }
        StringBuilder line = new StringBuilder("felix ").append(label).append(": ").append(message);
        if (throwable != null) {
            line.append(" (").append(throwable).append(')');
        }
        synchronized (err) {
            out.flush();
            err.println(line);
            err.flush();
        }
    }
}
