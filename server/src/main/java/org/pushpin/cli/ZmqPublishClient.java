package org.pushpin.cli;

import java.util.Map;
import org.pushpin.cli.PublishCommand.PublishException;
import org.pushpin.tnet.TnetString;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Sends one publish item to a ZeroMQ PULL socket the way Pushpin 1.36's tool does for a {@code tcp://} spec: a
 * PUSH socket connects and sends the item as one bare tnetstring part. Where 1.36 waits forever for a peer that is
 * not there, this waits {@link #CONNECT_MILLIS} for the connection and then fails with a message, so nothing is
 * reported {@code Published} that was not handed to a peer. {@code ipc://} is refused: JeroMQ cannot reach a
 * libzmq Unix socket.
 */
final class ZmqPublishClient {
    static final int CONNECT_MILLIS = 10_000;
    private static final String MONITOR = "inproc://publish-monitor";

    private ZmqPublishClient() {
    }

    static void send(String spec, Map<String, Object> item) throws PublishException {
        if (spec.startsWith("ipc://")) {
            throw new PublishException("ipc:// specs are not supported (JeroMQ cannot reach a Unix socket); "
                    + "use tcp://");
        }
        byte[] payload = TnetString.encode(item);
        try (ZContext zmq = new ZContext(1)) {
            ZMQ.Socket push = zmq.createSocket(SocketType.PUSH);
            push.monitor(MONITOR, ZMQ.EVENT_CONNECTED);
            ZMQ.Socket events = zmq.createSocket(SocketType.PAIR);
            events.connect(MONITOR);
            events.setReceiveTimeOut(CONNECT_MILLIS);
            push.connect(spec);
            ZMQ.Event connected = ZMQ.Event.recv(events);
            if (connected == null) {
                push.setLinger(0);
                throw new PublishException("could not connect to " + spec + " within "
                        + CONNECT_MILLIS / 1000 + " s");
            }
            // connected: the part is queued on that peer's pipe, and close waits until it is written
            push.setLinger(CONNECT_MILLIS);
            if (!push.send(payload)) {
                throw new PublishException("could not send to " + spec);
            }
            push.close();
        } catch (ZMQException | IllegalArgumentException e) {
            throw new PublishException("cannot publish to " + spec + ": " + e.getMessage());
        }
    }
}
