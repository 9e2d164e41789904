package io.junction.console.ssh.internal;

import io.junction.api.security.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local door to the console: a Unix-domain socket, {@code data/console.sock}, by which
 * {@code bin/junction -c} runs commands in the running instance without the cost of SSH (a JVM with
 * an SSH client, key exchange and a signature for every run). Whoever can reach the socket can read
 * the home ({@code data/} and the socket are owner-only): the same rule as the local client key of
 * the SSH path, so the caller is the local administrator ({@link Caller#local}, as the
 * local console's). Each command line runs as an SSH exec request does
 * ({@link ConsoleExec#execute}): same guarded processor, audit, output, error line and exit status.
 *
 * <p>The protocol, one command line per connection (the launcher's {@code LocalConsole} speaks it):
 * the client sends the command line's UTF-8 length as a 4-byte big-endian int and the line, then its
 * standard input when asked for it; the server sends frames of a kind byte ({@link #OUT},
 * {@link #ERR}, {@link #EXIT}, {@link #WANT}), a 4-byte length and that many bytes (an empty
 * output frame each second while the command runs); the exit frame, last, holds the exit status as
 * a 4-byte int; a want frame asks for standard input (see {@link Input}).
 */
final class LocalSocket implements AutoCloseable {
    static final String FILE = "data/console.sock";
    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    static final byte WANT = 4;
    /** A command line is short; anything longer is not a client of ours. */
    private static final int MAX_COMMAND_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LocalSocket.class);

    private final Path file;
    private final ServerSocketChannel server;
    private final RemoteCommandProcessor processor;
    /** Notices clients gone while their command prints nothing (see {@link Frames}). */
    private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-local-console-ping");
        t.setDaemon(true);
        return t;
    });

    private LocalSocket(Path file, ServerSocketChannel server, RemoteCommandProcessor processor) {
        this.file = file;
        this.server = server;
        this.processor = processor;
    }

    /** Listens on the socket file (replacing one a killed Junction left: this one holds the home's lock). */
    static LocalSocket open(Path file, RemoteCommandProcessor processor) throws IOException {
        Files.deleteIfExists(file);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(file));
            try {
                // data/ is owner-only already; the socket is too, whatever the umask
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // no POSIX permissions on this file system
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LocalSocket socket = new LocalSocket(file, server, processor);
        Thread acceptor = new Thread(socket::accept, "junction-local-console");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("local console socket {}: {}", file, e.toString());
                return;
            }
            Thread t = new Thread(() -> serve(channel), "junction-local-command");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            String command = readCommand(channel);
            // Only this home's owner (or root) can reach the socket: they run this node, as its user.
            Caller caller = Caller.local(System.getProperty("user.name"));
            Frames frames = new Frames(channel, Thread.currentThread());
            ScheduledFuture<?> ping = pings.scheduleWithFixedDelay(frames::ping, 1, 1, TimeUnit.SECONDS);
            int status;
            try {
                OutputStream out = frames.stream(OUT);
                try (Terminal terminal = SshTerminals.forLocalExec(new Input(channel, frames), out)) {
                    status = ConsoleExec.execute(processor, caller, command, terminal, out, frames.stream(ERR));
                }
            } finally {
                ping.cancel(false);
            }
            frames.write(EXIT, ByteBuffer.allocate(4).putInt(status).array(), 0, 4);
        } catch (IOException e) {
            // the client went away (Ctrl-C) or spoke something else
            LOG.debug("local console connection ended: {}", e.toString());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("local console connection failed", e);
        }
    }

    private static String readCommand(SocketChannel channel) throws IOException {
        ByteBuffer length = readFully(channel, ByteBuffer.allocate(4));
        int n = length.flip().getInt();
        if (n < 0 || n > MAX_COMMAND_BYTES) {
            throw new IOException("not a command line (" + n + " bytes)");
        }
        return StandardCharsets.UTF_8.decode(readFully(channel, ByteBuffer.allocate(n)).flip()).toString();
    }

    private static ByteBuffer readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the client closed the connection");
            }
        }
        return buffer;
    }

    @Override
    public void close() {
        pings.shutdownNow();
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", file, e.toString());
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("removing {}: {}", file, e.toString());
        }
    }

    /**
     * The client's standard input, asked for as the command reads it: a {@link #WANT} frame says
     * how many bytes at most, and the client answers with a 4-byte count and that many bytes (at
     * most one line), or -1 at the end of its input. So nothing is read ahead for a command that
     * does not read it, and the next command of the same {@code -c} line gets what follows.
     */
    private static final class Input extends InputStream {
        private final SocketChannel channel;
        private final Frames frames;
        private boolean ended;

        Input(SocketChannel channel, Frames frames) {
            this.channel = channel;
            this.frames = frames;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            frames.write(WANT, ByteBuffer.allocate(4).putInt(len).array(), 0, 4);
            int n = readFully(channel, ByteBuffer.allocate(4)).flip().getInt();
            if (n < 0) {
                ended = true;
                return -1;
            }
            if (n == 0 || n > len) {
                throw new IOException("the client sent " + n + " bytes of input for at most " + len);
            }
            readFully(channel, ByteBuffer.wrap(b, off, n));
            return n;
        }
    }

    /**
     * Standard output and error as frames on the one channel. When the client has gone (Ctrl-C),
     * the command is interrupted, as an SSH exec request's is when its channel closes: a command
     * that runs until interrupted ({@code ems:events --follow}) would otherwise print into nothing
     * forever. An empty frame each second tells a command that prints nothing too (the client skips it).
     */
    private static final class Frames {
        private final SocketChannel channel;
        private final Thread command;

        Frames(SocketChannel channel, Thread command) {
            this.channel = channel;
            this.command = command;
        }

        synchronized void write(byte kind, byte[] b, int off, int len) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(5).put(kind).putInt(len).flip();
            ByteBuffer body = ByteBuffer.wrap(b, off, len);
            try {
                while (header.hasRemaining() || body.hasRemaining()) {
                    channel.write(new ByteBuffer[] {header, body});
                }
            } catch (IOException gone) {
                if (kind != EXIT) {
                    command.interrupt();
                }
                throw gone;
            }
        }

        void ping() {
            try {
                write(OUT, new byte[0], 0, 0);
            } catch (IOException gone) {
                // the command was interrupted
            }
        }

        OutputStream stream(byte kind) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        Frames.this.write(kind, b, off, len);
                    }
                }
            };
        }
    }
}
