package io.junction.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class UnreachableExceptionTest {

    /** The JDK HTTP client's refused connection: a ConnectException without a message around a ClosedChannelException. */
    @Test
    void aRefusedConnectionIsSaidInWords() {
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        assertEquals("connection refused", UnreachableException.reason(new IOException(refused)));
        assertEquals("connection refused", UnreachableException.reason(new ConnectException("Connection refused")));
    }

    @Test
    void aConnectionTheServerClosedIsSaidInWords() {
        assertEquals("connection closed by the server", UnreachableException.reason(new ClosedChannelException()));
        assertEquals("connection closed by the server",
                UnreachableException.reason(new IOException("HTTP/1.1 header parser received no bytes", new EOFException("EOF reached while reading"))));
        assertEquals("connection closed by the server", UnreachableException.reason(new SocketException("Broken pipe")));
        assertEquals("connection reset by the server", UnreachableException.reason(new SocketException("Connection reset")));
    }

    @Test
    void otherKnownFailures() {
        assertEquals("unknown host", UnreachableException.reason(new UnknownHostException("nosuch.example")));
        assertEquals("no route to host", UnreachableException.reason(new NoRouteToHostException("No route to host")));
        assertEquals("timed out", UnreachableException.reason(new SocketTimeoutException()));
        assertEquals("connecting timed out", UnreachableException.reason(new ConnectException("Connection timed out")));
    }

    @Test
    void otherwiseTheInnermostMessageAndNeverAClassName() {
        assertEquals("unable to find valid certification path to requested target", UnreachableException.reason(
                new IOException("PKIX path building failed", new IllegalStateException("unable to find valid certification path to requested target"))));
        assertEquals("first line", UnreachableException.reason(new IOException("first line\nsecond")));
        assertEquals("handshake failed", UnreachableException.reason(new IOException(new SocketException("javax.net.ssl.SSLException: handshake failed"))));
        assertEquals("no reason given", UnreachableException.reason(new IOException(new IllegalStateException())));
    }
}
