package io.junction.provider.microsoft.internal.winrm;

import io.junction.api.ProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.http.client.protocol.HttpClientContext;
import org.slf4j.Logger;
import org.w3c.dom.Document;
import org.slf4j.LoggerFactory;

/**
 * One remote shell on a WinRM server. Commands run one after the other; {@link #close()} deletes
 * the shell on the server, whatever happened before.
 */
public final class WinRmShell implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WinRmShell.class);
    /** Keeps the beginning of stderr only: the error is there, the rest is repetition. */
    private static final int MAX_STDERR = 256 * 1024;
    /** What is read and thrown away after a reader gave up, to reach the command's exit code and errors. */
    private static final long MAX_DRAIN = 16L * 1024 * 1024;

    /** Sends one envelope of this shell and returns the answer ({@code null}: a timed-out Receive). */
    @FunctionalInterface
    interface Exchange {
        Document post(String envelope, boolean timeoutIsEmpty);
    }

    private final Exchange exchange;
    private final WinRmTarget target;
    private final String shellId;
    private final Duration wsmanTimeout;
    private boolean closed;

    WinRmShell(WinRmClient client) {
        this(contextBound(client), client.target());
    }

    private static Exchange contextBound(WinRmClient client) {
        HttpClientContext context = client.newContext();
        return (envelope, timeoutIsEmpty) -> client.post(envelope, context, timeoutIsEmpty);
    }

    WinRmShell(Exchange exchange, WinRmTarget target) {
        this.exchange = exchange;
        this.target = target;
        Duration op = target.operationTimeout();
        // the server answers a Receive at least this often (with TimedOut when there is no output)
        this.wsmanTimeout = op.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60)
                : (op.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(1) : op.minusSeconds(1));
        this.shellId = WsMan.shellId(exchange.post(WsMan.create(to(), wsmanTimeout), false));
    }

    private String to() {
        return target.url();
    }

    public String shellId() {
        return shellId;
    }

    /** Reads a command's stdout as it arrives. */
    @FunctionalInterface
    public interface StdoutReader<T> {
        T read(InputStream stdout) throws IOException;
    }

    /**
     * What a command left behind: the reader's value, or the reader's failure; and the exit code
     * and stderr once the command is done.
     */
    public record Outcome<T>(T value, Exception readerFailure, int exitCode, String stderr) {
    }

    /**
     * Runs a command line and hands its stdout, as a stream fed by Receive, to the reader. Returns
     * when the command is done. The command is always signalled to terminate afterwards. An
     * {@link IOException} of the reader (malformed output) is kept in the outcome beside the exit
     * code and stderr; a runtime exception (the transport's, or the reader's consumer's) ends the
     * command at once and is thrown.
     *
     * @param quietLimit how long the command may go without any output before it is abandoned
     */
    public <T> Outcome<T> run(String commandLine, Duration quietLimit, StdoutReader<T> reader) {
        if (closed) {
            throw new IllegalStateException("shell closed");
        }
        String commandId = WsMan.commandId(exchange.post(WsMan.command(to(), shellId, commandLine, wsmanTimeout), false));
        Stdout stdout = new Stdout(commandId, quietLimit);
        try {
            T value = null;
            Exception failure = null;
            try {
                value = reader.read(stdout);
            } catch (IOException e) {
                // unreadable output, often because the script failed: the exit code and stderr tell
                failure = e;
            }
            stdout.drain(failure == null ? Long.MAX_VALUE : MAX_DRAIN);
            if (!stdout.done) {
                return new Outcome<>(null, failure, -1, stdout.stderrText());
            }
            return new Outcome<>(value, failure, stdout.exitCode, stdout.stderrText());
        } finally {
            try {
                exchange.post(WsMan.signalTerminate(to(), shellId, commandId, wsmanTimeout), false);
            } catch (RuntimeException e) {
                LOG.debug("Signal terminate of command {} failed: {}", commandId, e.toString());
            }
        }
    }

    /** Deletes the shell on the server; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            exchange.post(WsMan.delete(to(), shellId, wsmanTimeout), false);
        } catch (RuntimeException e) {
            LOG.warn("Deleting WinRM shell {} on {} failed: {}", shellId, target.address(), e.toString());
        }
    }

    /** stdout as a stream: each read past the current chunk asks the server for the next one. */
    private final class Stdout extends InputStream {
        private final String commandId;
        private final long quietNanos;
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean done;
        private int exitCode;

        Stdout(String commandId, Duration quietLimit) {
            this.commandId = commandId;
            this.quietNanos = quietLimit.toNanos();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (pos >= chunk.length) {
                if (done) {
                    return -1;
                }
                fetch();
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - pos;
        }

        private void fetch() {
            long since = System.nanoTime();
            while (true) {
                var answer = exchange.post(WsMan.receive(to(), shellId, commandId, wsmanTimeout), true);
                if (answer == null) {
                    if (System.nanoTime() - since > quietNanos) {
                        throw new ProviderException("the command on " + target.address() + " gave no output for "
                                + Duration.ofNanos(quietNanos).toSeconds() + " s; abandoned");
                    }
                    continue;
                }
                WsMan.Received r = WsMan.received(answer, commandId);
                if (r.stderr().length > 0 && stderr.size() < MAX_STDERR) {
                    stderr.write(r.stderr(), 0, Math.min(r.stderr().length, MAX_STDERR - stderr.size()));
                }
                chunk = r.stdout();
                pos = 0;
                if (r.done()) {
                    done = true;
                    exitCode = r.exitCode() == null ? 0 : r.exitCode();
                }
                if (r.done() || chunk.length > 0 || r.stderr().length > 0) {
                    return;
                }
            }
        }

        void drain(long limit) {
            long skipped = 0;
            while (!done && skipped < limit) {
                skipped += chunk.length - pos;
                pos = chunk.length;
                fetch();
            }
        }

        String stderrText() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
