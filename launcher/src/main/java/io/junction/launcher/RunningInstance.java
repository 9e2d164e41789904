package io.junction.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * {@code bin/junction -c} while another Junction runs on the same home: the commands run in that
 * instance, through its SSH console, logged in with the local client key under {@code etc/}
 * (whoever can read it administers the node). Same output, same one-line errors on standard error,
 * same exit status as when the commands run in a Junction of their own.
 *
 * <p>Loaded by {@link ConsoleClient} in a class loader of its own with the SSH client of {@code lib/client/},
 * so the class path the framework starts from never holds a second copy of the SSHD bundle's classes.
 * Only JDK types cross that boundary: an {@link IOException} says why the instance cannot be reached.
 */
public final class RunningInstance {
    static final String CLIENT_KEY = "etc/client-key";
    static final String HOST_KEY = "etc/ssh-host-key";
    static final String SSH_CONFIG = "etc/io.junction.ssh.cfg";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A command may run for long (a refresh of a large inventory): its end is waited for, however long it takes. */
    private static final Duration FOREVER = Duration.ofDays(365);

    private RunningInstance() {
    }

    /**
     * Runs each command in its own exec request, in order; returns 0, or 1 when one failed. Standard
     * input goes to the commands (a secret asked for is typed here; on a terminal without echo).
     */
    public static int run(Path home, List<String> commands, InputStream in, boolean terminal, PrintStream out, PrintStream err)
            throws IOException {
        return connected(home, session -> {
            String saved = terminal ? Tty.stty("-g").strip() : null;
            if (terminal) {
                Tty.stty("-echo");
            }
            try {
                boolean failed = false;
                for (String command : commands) {
                    failed |= exec(session, command, in, out, err) != 0;
                }
                return failed ? 1 : 0;
            } finally {
                if (saved != null) {
                    Tty.stty(saved);
                }
            }
        });
    }

    /**
     * An interactive session in the running instance on this process's terminal ({@code /dev/tty},
     * put in raw mode meanwhile: the remote console edits the line); returns its exit status.
     */
    public static int shell(Path home, InputStream in, PrintStream out, PrintStream err) throws IOException {
        String saved = Tty.stty("-g").strip();
        String[] size = Tty.stty("size").strip().split("\\s+");
        return connected(home, session -> {
            try (ChannelShell shell = session.createShellChannel()) {
                String term = System.getenv("TERM");
                shell.setPtyType(term == null || term.isBlank() ? "dumb" : term);
                if (size.length == 2 && !size[0].equals("0") && !size[1].equals("0")) {
                    shell.setPtyLines(Integer.parseInt(size[0]));
                    shell.setPtyColumns(Integer.parseInt(size[1]));
                }
                shell.setIn(in);
                shell.setOut(passThrough(out));
                shell.setErr(passThrough(err));
                Tty.stty("raw", "-echo");
                try {
                    shell.open().verify(TIMEOUT);
                    shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), FOREVER);
                } finally {
                    Tty.stty(saved);
                    out.println();
                }
                Integer status = shell.getExitStatus();
                return status == null ? 0 : status;
            }
        });
    }

    private interface Work {
        int run(ClientSession session) throws IOException;
    }

    private static int connected(Path home, Work work) throws IOException {
        Properties ssh = sshConfig(home);
        if (!Boolean.parseBoolean(ssh.getProperty("enabled", "true").strip())) {
            throw new IOException("its SSH console is off (enabled = false in " + SSH_CONFIG + ")", null);
        }
        String address = ssh.getProperty("address", "127.0.0.1").strip();
        if (address.isEmpty() || address.equals("0.0.0.0") || address.equals("::")) {
            address = "127.0.0.1";
        }
        int port;
        try {
            port = Integer.parseInt(ssh.getProperty("port", "8101").strip());
        } catch (NumberFormatException e) {
            throw new IOException("the port in " + SSH_CONFIG + " is not a number", e);
        }
        KeyPair clientKey = key(home.resolve(CLIENT_KEY));
        PublicKey hostKey = key(home.resolve(HOST_KEY)).getPublic();

        SshClient client = SshClient.setUpDefaultClient();
        // The instance's own host key, read from etc/: nothing else may answer for it.
        client.setServerKeyVerifier((session, remote, key) -> KeyUtils.compareKeys(hostKey, key));
        client.start();
        ClientSession session;
        try {
            session = client.connect(System.getProperty("user.name", "local"), address, port).verify(TIMEOUT).getSession();
            session.addPublicKeyIdentity(clientKey);
            session.auth().verify(TIMEOUT);
        } catch (IOException e) {
            client.stop();
            throw new IOException("its SSH console at " + address + ":" + port + " cannot be reached: " + e.getMessage(), e);
        }
        try (session) {
            return work.run(session);
        } finally {
            client.stop();
        }
    }

    private static int exec(ClientSession session, String command, InputStream in, PrintStream out, PrintStream err) throws IOException {
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(passThrough(out));
            channel.setErr(passThrough(err));
            // the channel must not close this process's standard input when it ends
            channel.setIn(new java.io.FilterInputStream(in) {
                @Override
                public void close() {
                }
            });
            channel.open().verify(TIMEOUT);
            // A command may run for long (a refresh): wait for its end, however long it takes.
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), FOREVER);
            Integer status = channel.getExitStatus();
            out.flush();
            err.flush();
            return status == null ? 1 : status;
        }
    }

    /** Writes to the stream without closing it when the channel closes its end. */
    private static OutputStream passThrough(PrintStream target) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                target.write(b, off, len);
            }

            @Override
            public void flush() {
                target.flush();
            }
        };
    }

    private static KeyPair key(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + " does not exist; it is made when Junction starts");
        }
        try {
            List<KeyPair> keys = new ArrayList<>();
            new FileKeyPairProvider(file).loadKeys(null).forEach(keys::add);
            if (keys.isEmpty()) {
                throw new IOException(file + " holds no key", null);
            }
            return keys.get(0);
        } catch (RuntimeException e) {
            // FileKeyPairProvider reads lazily and wraps I/O and key errors
            throw new IOException("cannot read " + file + " (" + e.getMessage() + "); it is made when Junction starts", e);
        }
    }

    private static Properties sshConfig(Path home) throws IOException {
        Properties p = new Properties();
        Path file = home.resolve(SSH_CONFIG);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return p;
    }
}
