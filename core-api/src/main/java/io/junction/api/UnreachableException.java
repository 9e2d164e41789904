package io.junction.api;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The server of a connection could not be reached: refused, timed out, unknown host. */
public class UnreachableException extends JunctionException {
    private static final long serialVersionUID = 1L;
    private static final Pattern CLASS_NAME = Pattern.compile("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*(:|$)");

    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What happened to a network call, in words an operator reads in an error line ("connection
     * refused", "connection closed by the server"), never a Java class name: many low-level
     * exceptions have no message, and their class name says nothing to the people who run
     * Junction. The first cause in the chain whose kind is known decides; otherwise the first
     * line of the innermost message.
     *
     * @param failure the exception, with its causes
     * @return a short phrase, lower-case, without a trailing period
     */
    public static String reason(Throwable failure) {
        String innermost = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String known = known(t);
            if (known != null) {
                return known;
            }
            String message = withoutClassName(t.getMessage());
            if (!message.isEmpty()) {
                innermost = message;
            }
        }
        if (innermost == null) {
            return "no reason given";
        }
        String line = innermost.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 199) + "…" : line;
    }

    /** The message without the class name that wrapping exceptions put first ({@code new IOException(cause)}). */
    private static String withoutClassName(String message) {
        return message == null ? "" : CLASS_NAME.matcher(message.strip()).replaceFirst("").strip();
    }

    private static String known(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof PortUnreachableException) {
            return "port unreachable";
        }
        if (t instanceof ConnectException) {
            return m.contains("timed out") ? "connecting timed out" : "connection refused";
        }
        if (t instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (t instanceof ClosedChannelException || t instanceof EOFException) {
            return "connection closed by the server";
        }
        if (t instanceof SocketException) {
            if (m.contains("reset")) {
                return "connection reset by the server";
            }
            if (m.contains("broken pipe") || m.contains("closed")) {
                return "connection closed by the server";
            }
        }
        return null;
    }
}
