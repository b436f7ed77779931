package org.pushpin.ingest;

import java.util.List;
import org.pushpin.message.PublishFormatException;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.metrics.ThrottledLog;
import org.pushpin.publish.Input;
import org.pushpin.publish.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * One ZeroMQ socket and the one thread that owns it (ZeroMQ sockets are not thread-safe): receives whole messages
 * and hands them to {@link #onMessage}. Bounded: the receive high-water mark and the largest message are set, so a
 * flood waits in the sender's queue (PUSH) or is dropped by ZeroMQ (SUB), never piles up here. A bad message is
 * counted and logged (at most one line a second per socket), and the next one is read as if nothing happened.
 */
abstract class ZmqReceiver implements Runnable, Input {
    static final Logger LOG = LoggerFactory.getLogger("handler");
    /** Messages queued in ZeroMQ before the sender waits or the socket drops (Pushpin uses 1,000 on its inputs). */
    static final int RECEIVE_HWM = 1_000;
    /** The largest message read; a larger one ends that peer's connection (ZeroMQ's rule) and is counted there. */
    static final long MAX_MESSAGE_SIZE = 10_000_000;
    private static final int POLL_MILLIS = 50;

    private final String name;
    final ZMQ.Socket socket;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;
    private final ThrottledLog warnings = new ThrottledLog(LOG, 1000);

    ZmqReceiver(ZContext zmq, SocketType type, String name) {
        this.name = name;
        this.socket = zmq.createSocket(type);
        socket.setRcvHWM(RECEIVE_HWM);
        socket.setMaxMsgSize(MAX_MESSAGE_SIZE);
        socket.setReceiveTimeOut(POLL_MILLIS);
        socket.setLinger(0);
        this.thread = new Thread(this, "pushpin-" + name.replace(' ', '-'));
        thread.setDaemon(true);
    }

    /** Starts the thread; call once the socket is bound or connected. */
    final void startThread() {
        started = true;
        thread.start();
    }

    /** One whole message (all its parts). Runs on the socket's thread. */
    abstract void onMessage(List<byte[]> parts);

    /** Called on the socket's thread between receives (at least every {@value #POLL_MILLIS} ms). */
    void onIdle() {
    }

    @Override
    public final void run() {
        try {
            while (running) {
                onIdle();
                byte[] first = socket.recv(0);
                if (first == null) {
                    continue; // timeout
                }
                List<byte[]> parts = new java.util.ArrayList<>(2);
                parts.add(first);
                while (socket.hasReceiveMore()) {
                    parts.add(socket.recv(0));
                }
                try {
                    onMessage(parts);
                } catch (RuntimeException e) {
                    LOG.warn("{}: message dropped: an error of ours", name, e);
                }
            }
        } catch (ZMQException e) {
            if (running) {
                LOG.error("{}: socket failed: {}", name, e.getMessage());
            }
        } finally {
            socket.close();
        }
    }

    /** A warning line, at most one a second; the lines left out are counted in the next. */
    final void warn(String what) {
        warnings.warn("{}: {}", name, what);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() {
        stop();
    }

    /** Decodes one item part and hands it over; a bad one is counted and logged, and dropped. */
    final void publishPart(Publisher publisher, ServerMetrics metrics, byte[] part, String channel) {
        try {
            publisher.publish(java.util.List.of(ZmqItemDecoder.decode(part, channel)));
        } catch (PublishFormatException e) {
            metrics.dropped(ServerMetrics.Drop.MALFORMED_INPUT, 1);
            warn("item dropped: " + e.getMessage());
        }
    }

    /** Stops the thread (within a poll interval) and closes the socket. */
    void stop() {
        running = false;
        if (!started) {
            socket.close();
            return;
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
