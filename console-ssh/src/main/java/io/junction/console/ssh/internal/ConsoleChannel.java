package io.junction.console.ssh.internal;

import io.junction.api.security.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell or exec channel of an authenticated SSH session: runs {@link #run} on its own thread with
 * the channel's streams and reports the exit status when it ends.
 */
abstract class ConsoleChannel implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleChannel.class);

    protected InputStream in;
    protected OutputStream out;
    protected OutputStream err;
    private ExitCallback exit;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Thread thread;

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        Caller caller = channel.getSession().getAttribute(SshConsole.CALLER);
        Thread t = new Thread(() -> {
            int status = 1;
            try {
                if (caller == null) {
                    // cannot happen: SSHD opens channels only after authentication, which sets the caller
                    throw new IllegalStateException("no authenticated caller");
                }
                status = run(caller, env);
            } catch (Exception | LinkageError e) {
                LOG.error("SSH console session of {} failed", caller, e);
            } finally {
                end(status);
            }
        }, "junction-ssh-" + getClass().getSimpleName() + "-" + (caller == null ? "?" : caller.user()));
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Runs the channel's work; returns the exit status. */
    protected abstract int run(Caller caller, Environment env) throws Exception;

    private void end(int status) {
        if (ended.compareAndSet(false, true)) {
            try {
                out.flush();
                err.flush();
            } catch (IOException e) {
                // the client went away
            }
            exit.onExit(status);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}
