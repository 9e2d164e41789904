package io.junction.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/junction -c} while another Junction runs on the home, by the running instance's local
 * socket {@code data/console.sock}: no SSH client to load and no cryptography, so the commands cost
 * little more than starting this JVM. The instance runs each command line as an SSH exec request
 * (same guarded console, audit, output, one-line errors and exit status); the protocol is described
 * with the server, console-ssh's {@code LocalSocket}. Whoever can reach the socket can read the home:
 * {@code data/} is owner-only.
 */
final class LocalConsole {
    static final String SOCKET = "data/console.sock";
    private static final byte OUT = 1;
    private static final byte ERR = 2;
    private static final byte EXIT = 3;
    private static final byte WANT = 4;

    private LocalConsole() {
    }

    /**
     * Runs each command in order through the socket; returns 0, or 1 when one failed. Null when the
     * instance has no socket to reach (an older Junction, a home path too long for a socket address,
     * a socket left by a killed instance): the caller then takes the SSH console.
     */
    static Integer run(Path home, List<String> commands, InputStream in, boolean terminal, PrintStream out, PrintStream err)
            throws IOException {
        Path file = home.resolve(SOCKET);
        if (commands.isEmpty() || !Files.exists(file)) {
            return null;
        }
        SocketChannel first;
        try {
            first = SocketChannel.open(UnixDomainSocketAddress.of(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String saved = terminal ? Tty.stty("-g").strip() : null;
        if (terminal) {
            // a command may ask for a secret: typed here, not echoed
            Tty.stty("-echo");
        }
        StandardInput input = new StandardInput(in);
        try {
            boolean failed = false;
            SocketChannel channel = first;
            for (int i = 0; i < commands.size(); i++) {
                if (i > 0) {
                    channel = SocketChannel.open(UnixDomainSocketAddress.of(file));
                }
                try (SocketChannel c = channel) {
                    failed |= run(c, commands.get(i), input, out, err) != 0;
                }
            }
            return failed ? 1 : 0;
        } finally {
            if (saved != null) {
                Tty.stty(saved);
            }
        }
    }

    private static int run(SocketChannel channel, String command, StandardInput input, PrintStream out, PrintStream err)
            throws IOException {
        byte[] line = command.getBytes(StandardCharsets.UTF_8);
        ByteBuffer request = ByteBuffer.allocate(4 + line.length).putInt(line.length).put(line).flip();
        while (request.hasRemaining()) {
            channel.write(request);
        }
        ByteBuffer header = ByteBuffer.allocate(5);
        while (true) {
            header.clear();
            if (!readFully(channel, header)) {
                throw new IOException("the running Junction closed the console connection during '" + command + "'");
            }
            byte kind = header.get(0);
            int length = header.getInt(1);
            ByteBuffer body = ByteBuffer.allocate(length);
            if (!readFully(channel, body)) {
                throw new IOException("the running Junction closed the console connection during '" + command + "'");
            }
            if (kind == EXIT) {
                out.flush();
                err.flush();
                return body.getInt(0);
            } else if (kind == WANT) {
                input.answer(channel, body.getInt(0));
            } else if (length > 0) {
                PrintStream target = kind == ERR ? err : out;
                target.write(body.array(), 0, length);
                target.flush();
            }
        }
    }

    private static boolean readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * This process's standard input, read only as far as a running command asks for it (a secret it
     * reads): one line at most per request, so that each command of the line gets the lines meant
     * for it, typed at its prompt or piped.
     */
    private static final class StandardInput {
        private final InputStream in;
        private boolean ended;

        StandardInput(InputStream in) {
            this.in = in;
        }

        /** Sends up to {@code most} bytes, at most one line, or -1 at the end of the input. */
        void answer(SocketChannel channel, int most) throws IOException {
            byte[] line = new byte[Math.max(1, Math.min(most, 64 * 1024))];
            int n = 0;
            while (!ended && n < line.length) {
                int c = in.read();
                if (c < 0) {
                    ended = true;
                    break;
                }
                line[n++] = (byte) c;
                if (c == '\n') {
                    break;
                }
            }
            ByteBuffer answer = ByteBuffer.allocate(4 + n).putInt(n == 0 ? -1 : n).put(line, 0, n).flip();
            while (answer.hasRemaining()) {
                channel.write(answer);
            }
        }
    }
}
