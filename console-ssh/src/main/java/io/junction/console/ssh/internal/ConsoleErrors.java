package io.junction.console.ssh.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one line a failed command shows, as the local {@code -c} path words it. */
final class ConsoleErrors {
    /** Gogo's message when no method of a command takes the words given. */
    private static final Pattern WRONG_ARGUMENTS = Pattern.compile("Cannot coerce ([\\w:.-]+)\\(");

    private ConsoleErrors() {
    }

    static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof InvocationTargetException || cause instanceof UndeclaredThrowableException
                    || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        message = message.strip();
        Matcher coerce = WRONG_ARGUMENTS.matcher(message);
        if (coerce.lookingAt()) {
            return "wrong arguments for " + coerce.group(1) + "; see 'help " + coerce.group(1) + "'";
        }
        if (cause instanceof org.apache.felix.gogo.runtime.CommandNotFoundException) {
            return message + "; 'help' lists the commands you may run";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
