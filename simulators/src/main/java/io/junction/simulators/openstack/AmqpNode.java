package io.junction.simulators.openstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One broker of a RabbitMQ cluster as a client sees it: an AMQP address of its own on 127.0.0.1,
 * behind which is the simulator's one broker. Every node therefore holds the same queues with the
 * same content, as a quorum (or mirrored) queue would: a message acknowledged through one node is
 * gone from all, and what a consumer through a node that went away had not acknowledged is
 * delivered again through another.
 *
 * <p>{@link #stop()} makes the node go away as a crashed broker or a lost network does: the
 * connections through it are reset, and new ones are refused. {@link #start()} brings it back on
 * the same port. The bytes go through untouched: the client speaks AMQP with the real broker.
 */
public final class AmqpNode implements AutoCloseable {
    private final int brokerPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong toClients = new AtomicLong();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile int port;
    private volatile ServerSocket server;
    private Thread acceptor;

    AmqpNode(int brokerPort) {
        this.brokerPort = brokerPort;
    }

    /** Starts listening: on a free port the first time, on the same port after a {@link #stop()}. */
    public synchronized AmqpNode start() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            port = s.getLocalPort();
            server = s;
            acceptor = thread("amqp-node-" + port + "-accept", () -> accept(s));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Resets every connection through this node and refuses new ones until {@link #start()}. */
    public synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
                // The socket is closed for good only once the thread blocked in accept() has left it.
                acceptor.join(5_000);
            } catch (IOException e) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /** The node's AMQP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    public boolean running() {
        return server != null;
    }

    /** Client connections this node accepted since it was made. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Bytes the broker sent to clients through this node (deliveries, but also heartbeats and replies). */
    public long bytesToClients() {
        return toClients.get();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // stopped
            }
            accepted.incrementAndGet();
            Socket broker = new Socket();
            try {
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 5_000);
            } catch (IOException e) {
                reset(client);
                reset(broker);
                continue;
            }
            sockets.add(client);
            sockets.add(broker);
            if (server != s) {
                // stopped while this connection was being made
                reset(client);
                reset(broker);
                continue;
            }
            thread("amqp-node-" + port + "-up", () -> pump(client, broker, null));
            thread("amqp-node-" + port + "-down", () -> pump(broker, client, toClients));
        }
    }

    /** Copies one direction until either side ends; then ends both, so that the broker sees the client go and the client the broker. */
    private void pump(Socket from, Socket to, AtomicLong counted) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // Counted before they are passed on: whoever has received them sees them counted.
                if (counted != null) {
                    counted.addAndGet(n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
    }

    /** Closes with an RST, as the peer of a crashed host sees it, instead of an orderly FIN. */
    private void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // closing anyway
        }
        close(socket);
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // gone already
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name + "-" + threads.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
