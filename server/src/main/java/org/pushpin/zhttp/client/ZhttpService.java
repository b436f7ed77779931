package org.pushpin.zhttp.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pushpin.metrics.ThrottledLog;
import org.pushpin.zhttp.ZhttpCodec;
import org.pushpin.zhttp.ZhttpFormatException;
import org.pushpin.zhttp.ZhttpResponsePacket;
import org.pushpin.zhttp.ZhttpSpecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The sockets of one {@code zhttp/} or {@code zhttpreq/} target and the one thread that owns them (ZeroMQ sockets
 * are not thread-safe), bound as Pushpin binds them so services connect to us: request mode one DEALER (a REP peer
 * answers it); stream mode a PUSH for first packets, a ROUTER for the rest of a session, and a SUB that hears the
 * answers addressed to our instance id. Requests and credits from the event loops come in through a queue and an
 * in-process wake-up socket; the sessions live on this thread, and their listeners are called here.
 *
 * <p>A first packet nobody can take yet (no service connected) waits here until one connects or the session
 * expires in request mode, as Pushpin's DEALER queues it; in stream mode it fails at once, as Pushpin's does
 * (except in the first second after the bind, while services are still connecting). A bad packet is logged (at
 * most one line a second) and, when its id can be read, ends that session alone.
 */
public final class ZhttpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("proxy");
    /** Packets queued in ZeroMQ per peer before sends wait (Pushpin: 100 out, much more for the stream sockets). */
    private static final int OUT_HWM = 100;
    private static final int STREAM_HWM = 101_000;
    private static final long MAX_MESSAGE_SIZE = 10_000_000;
    private static final long TICK_MILLIS = 1_000;
    private static final long WAITING_POLL_MILLIS = 10;
    /** Services connect within moments of a bind: until then a stream-mode request waits for one. */
    private static final long CONNECT_GRACE_NANOS = 1_000_000_000L;

    private final String name;
    private final boolean requestMode;
    private final byte[] instanceId;
    private final long expireMillis;
    private final ZMQ.Socket out;
    private final ZMQ.Socket outStream;
    private final ZMQ.Socket in;
    private final ZMQ.Socket wakeIn;
    private final ZMQ.Socket wakeOut;
    private final ZMQ.Poller poller;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** Guarded by {@link #wakeOut}: the wake-up socket is closed. */
    private boolean wakeClosed;
    private final Thread thread;
    private volatile boolean running = true;
    private final ThrottledLog warnings = new ThrottledLog(LOG, 1000);
    /** This thread only. */
    private final Map<String, ZhttpSession> sessions = new HashMap<>();
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private long nextId;
    private final long boundAt = System.nanoTime();
    private final ZhttpSession.Wire wire = new ZhttpSession.Wire() {
        @Override
        public boolean first(byte[] packet) {
            // the first part of a message decides: once it is taken, ZeroMQ takes the rest
            return requestMode ? out.send(new byte[0], ZMQ.SNDMORE | ZMQ.DONTWAIT) && out.send(packet, 0)
                    : out.send(packet, ZMQ.DONTWAIT);
        }

        @Override
        public void to(byte[] address, byte[] packet) {
            // a ROUTER never waits: a packet for an instance that is gone is dropped (the session expires)
            if (outStream.send(address, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                outStream.send(new byte[0], ZMQ.SNDMORE);
                outStream.send(packet, 0);
            }
        }
    };

    private record Waiting(ZhttpSession session, byte[] packet) {
    }

    /**
     * Binds the target's sockets and starts the thread.
     *
     * @param target       {@code zhttp/SPEC} or {@code zhttpreq/SPEC} as the routes line gives it
     * @param expireMillis how long a session lives without hearing from the service
     * @throws IllegalArgumentException when a socket cannot be bound (the message says which and why)
     */
    public ZhttpService(ZContext zmq, boolean requestMode, String spec, byte[] instanceId, long expireMillis) {
        this.name = (requestMode ? "zhttpreq/" : "zhttp/") + spec;
        this.requestMode = requestMode;
        this.instanceId = instanceId;
        this.expireMillis = expireMillis;
        List<ZMQ.Socket> made = new ArrayList<>();
        try {
            if (requestMode) {
                out = socket(zmq, made, SocketType.DEALER, OUT_HWM, spec);
                outStream = null;
                in = out;
            } else {
                List<String> specs = ZhttpSpecs.streamSpecs(spec);
                out = socket(zmq, made, SocketType.PUSH, OUT_HWM, specs.get(0));
                outStream = socket(zmq, made, SocketType.ROUTER, STREAM_HWM, specs.get(1));
                in = socket(zmq, made, SocketType.SUB, STREAM_HWM, specs.get(2));
                in.subscribe((new String(instanceId, StandardCharsets.ISO_8859_1) + " ")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            String wakeAddress = "inproc://pushpin-zhttp-" + System.identityHashCode(this) + "-" + System.nanoTime();
            wakeIn = zmq.createSocket(SocketType.PAIR);
            made.add(wakeIn);
            wakeIn.bind(wakeAddress);
            wakeOut = zmq.createSocket(SocketType.PAIR);
            made.add(wakeOut);
            wakeOut.connect(wakeAddress);
            poller = zmq.createPoller(2);
            poller.register(wakeIn, ZMQ.Poller.POLLIN);
            poller.register(in, ZMQ.Poller.POLLIN);
        } catch (RuntimeException e) {
            made.forEach(ZMQ.Socket::close);
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        thread = new Thread(this::run, "pushpin-" + name.replace('/', '-'));
        thread.setDaemon(true);
        thread.start();
        LOG.info("{}: bound", name);
    }

    private static ZMQ.Socket socket(ZContext zmq, List<ZMQ.Socket> made, SocketType type, int hwm, String spec) {
        if (!spec.startsWith("tcp://")) {
            throw new IllegalArgumentException(spec + ": tcp:// only (JeroMQ cannot bind a Unix socket)");
        }
        ZMQ.Socket s = zmq.createSocket(type);
        made.add(s);
        s.setLinger(0);
        s.setSndHWM(hwm);
        s.setRcvHWM(hwm);
        s.setMaxMsgSize(MAX_MESSAGE_SIZE);
        if (type == SocketType.ROUTER) {
            s.setImmediate(true);
        }
        try {
            s.bind(spec);
        } catch (ZMQException e) {
            throw new IllegalArgumentException("cannot bind " + spec + ": " + e.getMessage(), e);
        }
        return s;
    }

    public String name() {
        return name;
    }

    /** Starts a request; {@code listener} hears of it on this service's thread. */
    public ZhttpCall start(ZhttpRequestSpec request, ZhttpListener listener) {
        Call call = new Call();
        submit(() -> {
            String id = Long.toString(nextId++);
            ZhttpSession s = new ZhttpSession(instanceId, id.getBytes(StandardCharsets.ISO_8859_1), requestMode,
                    request, listener, expireMillis);
            call.id = id;
            if (call.cancelled) {
                return;
            }
            sessions.put(id, s);
            byte[] first = s.firstPacket(System.currentTimeMillis());
            if (!waiting.isEmpty() || !wire.first(first)) {
                if (!requestMode && System.nanoTime() - boundAt > CONNECT_GRACE_NANOS) {
                    // as Pushpin: a stream request nobody can take now fails now (request mode waits, and expires)
                    sessions.remove(id);
                    s.fail(wire, ZhttpFailure.UNAVAILABLE,
                            "Error: no zhttp service connected to " + name + " (or none taking more).");
                } else {
                    waiting.add(new Waiting(s, first));
                }
            }
        });
        return call;
    }

    /** The handle the proxy holds; its fields are this thread's. */
    private final class Call implements ZhttpCall {
        private String id;
        private boolean cancelled;

        @Override
        public void credit(int bytes) {
            submit(() -> {
                ZhttpSession s = id == null ? null : sessions.get(id);
                if (s != null) {
                    s.credit(bytes, wire);
                }
            });
        }

        @Override
        public void cancel() {
            submit(() -> {
                cancelled = true;
                ZhttpSession s = id == null ? null : sessions.remove(id);
                if (s != null) {
                    s.cancel(wire);
                }
            });
        }
    }

    private void submit(Runnable command) {
        commands.add(command);
        if (wakePending.compareAndSet(false, true)) {
            wake();
        }
    }

    private void wake() {
        synchronized (wakeOut) {
            if (!wakeClosed) {
                wakeOut.send(new byte[0], ZMQ.DONTWAIT);
            }
        }
    }

    private void run() {
        long nextTick = System.currentTimeMillis() + TICK_MILLIS;
        try {
            while (running) {
                long timeout = waiting.isEmpty() ? Math.max(1, nextTick - System.currentTimeMillis())
                        : WAITING_POLL_MILLIS;
                poller.poll(timeout);
                if (poller.pollin(0)) {
                    while (wakeIn.recv(ZMQ.DONTWAIT) != null) {
                        // drained: one wake-up stands for every command queued so far
                    }
                    wakePending.set(false);
                }
                Runnable c;
                while ((c = commands.poll()) != null) {
                    c.run();
                }
                receive();
                flushWaiting();
                long now = System.currentTimeMillis();
                if (now >= nextTick) {
                    nextTick = now + TICK_MILLIS;
                    tick(now);
                }
            }
        } catch (ZMQException e) {
            if (running) {
                LOG.error("{}: socket failed: {}", name, e.getMessage());
            }
        } finally {
            for (ZhttpSession s : sessions.values()) {
                s.fail(wire, ZhttpFailure.UNREACHABLE, ZhttpSession.UNREACHABLE);
            }
            sessions.clear();
            closeSockets();
        }
    }

    private void receive() {
        for (int n = 0; n < 1000; n++) {
            byte[] first = in.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> parts = new ArrayList<>(2);
            parts.add(first);
            while (in.hasReceiveMore()) {
                parts.add(in.recv(0));
            }
            try {
                onMessage(parts);
            } catch (RuntimeException e) {
                LOG.warn("{}: message dropped: an error of ours", name, e);
            }
        }
    }

    private void onMessage(List<byte[]> parts) {
        byte[] data;
        int offset;
        if (requestMode) {
            if (parts.size() != 2 || parts.get(0).length != 0) {
                warnings.warn("{}: message with {} parts dropped (empty frame and packet expected)", name,
                        parts.size());
                return;
            }
            data = parts.get(1);
            offset = 0;
        } else {
            if (parts.size() != 1) {
                warnings.warn("{}: message with {} parts dropped (one expected)", name, parts.size());
                return;
            }
            data = parts.get(0);
            offset = ZhttpCodec.payloadOffset(data);
            if (offset < 0) {
                warnings.warn("{}: message without an address dropped", name);
                return;
            }
        }
        ZhttpResponsePacket p;
        try {
            p = ZhttpCodec.decode(data, offset);
        } catch (ZhttpFormatException e) {
            warnings.warn("{}: bad packet dropped: {}", name, e.getMessage());
            ZhttpSession s = e.id() == null ? null : sessions.remove(new String(e.id(), StandardCharsets.ISO_8859_1));
            if (s != null) {
                s.fail(wire, ZhttpFailure.PROTOCOL, "Error: bad packet from zhttp service: " + e.getMessage());
            }
            return;
        }
        long now = System.currentTimeMillis();
        for (ZhttpResponsePacket.Id id : p.ids()) {
            String key = new String(id.id(), StandardCharsets.ISO_8859_1);
            ZhttpSession s = sessions.get(key);
            if (s == null) {
                LOG.debug("{}: packet for unknown id {} dropped", name, key);
                continue;
            }
            s.onPacket(p, id.seq(), now, wire);
            if (s.done()) {
                sessions.remove(key);
            }
        }
    }

    private void flushWaiting() {
        while (!waiting.isEmpty()) {
            Waiting w = waiting.peek();
            if (w.session.done()) {
                waiting.poll();
                continue;
            }
            if (!wire.first(w.packet)) {
                return;
            }
            waiting.poll();
        }
    }

    private void tick(long now) {
        for (Iterator<ZhttpSession> it = sessions.values().iterator(); it.hasNext(); ) {
            ZhttpSession s = it.next();
            s.tick(now, wire);
            if (s.done()) {
                it.remove();
            }
        }
    }

    private void closeSockets() {
        synchronized (wakeOut) {
            wakeClosed = true;
            wakeOut.close();
        }
        wakeIn.close();
        poller.close();
        out.close();
        if (outStream != null) {
            outStream.close();
            in.close();
        }
    }

    /** Stops the thread; sessions still open fail. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
