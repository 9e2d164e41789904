package io.junction.simulators.winrm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One running command's stdout and stderr. The command writes (and waits while the client has
 * not received what it wrote: output is bounded, however large the answer); Receive takes.
 */
final class CommandRun {
    private static final int BUFFERED_LIMIT = 256 * 1024;

    final String id;
    private final ByteQueue out = new ByteQueue();
    private final ByteQueue err = new ByteQueue();
    private Integer exitCode;
    private boolean terminated;

    /** What one Receive returns; {@code exitCode} is set once the command is done and all its output taken. */
    record Chunk(byte[] stdout, byte[] stderr, Integer exitCode) {
    }

    CommandRun(String id) {
        this.id = id;
    }

    OutputStream stdout() {
        return new Sink(false);
    }

    OutputStream stderr() {
        return new Sink(true);
    }

    synchronized void finish(int code) {
        if (exitCode == null) {
            exitCode = code;
        }
        notifyAll();
    }

    synchronized boolean terminated() {
        return terminated;
    }

    /** Waits up to {@code nanos} (a simulated slow start); true when the command was terminated meanwhile. */
    synchronized boolean sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!terminated) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized void terminate() {
        terminated = true;
        out.clear();
        err.clear();
        notifyAll();
    }

    /** Waits until output is there, the command ends, or the deadline passes (then null). */
    synchronized Chunk take(int maxBytes, long deadlineNanos) throws InterruptedException {
        while (out.size() == 0 && err.size() == 0 && exitCode == null && !terminated) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        byte[] stdout = out.take(maxBytes);
        byte[] stderr = err.take(Math.max(0, maxBytes - stdout.length));
        notifyAll();
        boolean done = exitCode != null && out.size() == 0 && err.size() == 0;
        return new Chunk(stdout, stderr, done ? exitCode : null);
    }

    private synchronized void write(boolean toErr, byte[] b, int off, int len) throws IOException {
        ByteQueue queue = toErr ? err : out;
        while (queue.size() > BUFFERED_LIMIT && !terminated) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("command interrupted");
            }
        }
        if (terminated) {
            throw new IOException("command terminated");
        }
        queue.add(b, off, len);
        notifyAll();
    }

    private final class Sink extends OutputStream {
        private final boolean toErr;

        Sink(boolean toErr) {
            this.toErr = toErr;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            CommandRun.this.write(toErr, b, off, len);
        }
    }

    private static final class ByteQueue {
        private byte[] data = new byte[1024];
        private int start;
        private int end;

        int size() {
            return end - start;
        }

        void add(byte[] b, int off, int len) {
            if (end + len > data.length) {
                int size = size();
                byte[] target = size + len > data.length ? new byte[Math.max(data.length * 2, size + len)] : data;
                System.arraycopy(data, start, target, 0, size);
                data = target;
                start = 0;
                end = size;
            }
            System.arraycopy(b, off, data, end, len);
            end += len;
        }

        byte[] take(int max) {
            int n = Math.min(max, size());
            byte[] chunk = Arrays.copyOfRange(data, start, start + n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return chunk;
        }

        void clear() {
            start = 0;
            end = 0;
        }
    }
}
