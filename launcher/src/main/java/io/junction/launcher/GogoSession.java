package io.junction.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;

import org.osgi.framework.Bundle;

/**
 * One Gogo {@code CommandSession}, driven by reflection: the launcher lives outside the
 * framework and cannot link against {@code org.apache.felix.service.command}, so the interface
 * methods are looked up through the bundle that registered the {@code CommandProcessor}.
 */
final class GogoSession implements AutoCloseable {

    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code Converter.INSPECT}: the level Gogo's own shell uses to print results. */
    private static final int INSPECT = 0;

    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;

    GogoSession(Object processor, Bundle registrant, InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        Class<?> processorType = registrant.loadClass(PROCESSOR);
        Class<?> sessionType = registrant.loadClass(SESSION);
        Method create = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                OutputStream.class);
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
        this.session = invoke(create, processor, in, out, err);
    }

    /** Runs one command line; throws what the command threw, unwrapped. */
    Object execute(String command) throws Exception {
        return invoke(execute, session, command);
    }

    /** The text to print for a command's result: strings as they are, anything else as Gogo formats it. */
    String format(Object result) throws Exception {
        if (result instanceof CharSequence) {
            return result.toString();
        }
        Object text = invoke(format, session, result, INSPECT);
        return text == null ? String.valueOf(result) : text.toString();
    }

    @Override
    public void close() throws Exception {
        invoke(close, session);
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** Gogo's message when no method of a command takes the words given. */
    private static final Pattern WRONG_ARGUMENTS = Pattern.compile("Cannot coerce ([\\w:.-]+)\\(");

    /** Strips reflection wrappers (and message-less wrappers) down to the exception that says what went wrong. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current
                && (current instanceof InvocationTargetException
                    || current instanceof UndeclaredThrowableException
                    || current.getMessage() == null)) {
            current = current.getCause();
        }
        return current;
    }

    /** {@code error: <message>} text for a failed command: first line of the message, or the class name. */
    static String describe(Throwable t) {
        Throwable cause = unwrap(t);
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        message = message.strip();
        Matcher coerce = WRONG_ARGUMENTS.matcher(message);
        if (coerce.lookingAt()) {
            // Gogo's own wording lists Java signatures; say what the operator can act on.
            String command = coerce.group(1);
            return "wrong arguments for " + command + "; see 'help " + command + "'";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
