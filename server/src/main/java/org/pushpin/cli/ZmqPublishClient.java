package org.pushpin.cli;

import java.util.Map;
import org.pushpin.cli.PublishCommand.PublishException;
import org.pushpin.tnet.TnetString;
import org.zeromq.SocketType;
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

    private static final int HANDSHAKE_MILLIS = 2_000;

    private ZmqPublishClient() {
    }

    static void send(String spec, Map<String, Object> item) throws PublishException {
        if (spec.startsWith("ipc://")) {
            throw new PublishException("ipc:// specs are not supported (JeroMQ cannot reach a Unix socket); "
                    + "use tcp://");
        }
        byte[] payload = TnetString.encode(item);
        // A plain context, not ZContext: ZContext closes its sockets again with its own linger, which dropped an
        // item still queued when the program ended, after "Published". Here term() waits for the linger.
        ZMQ.Context zmq = ZMQ.context(1);
        ZMQ.Socket push = zmq.socket(SocketType.PUSH);
        ZMQ.Socket events = zmq.socket(SocketType.PAIR);
        try {
            // Wait for the ZMTP handshake, not just the TCP connection: a part sent before it and a close right after
            // were now and then lost (1 in a few hundred runs) although the linger should have kept them.
            push.monitor(MONITOR, ZMQ.EVENT_HANDSHAKE_PROTOCOL);
            events.connect(MONITOR);
            events.setReceiveTimeOut(CONNECT_MILLIS);
            push.setLinger(CONNECT_MILLIS);
            // Now and then JeroMQ's handshake with a libzmq peer stalls after the TCP connect (see ZmqSubInput);
            // a stalled one is dropped after 2 s and the connection retried, well within CONNECT_MILLIS.
            push.setHandshakeIvl(HANDSHAKE_MILLIS);
            push.connect(spec);
            if (ZMQ.Event.recv(events) == null) {
                push.setLinger(0);
                throw new PublishException("could not connect to " + spec + " within "
                        + CONNECT_MILLIS / 1000 + " s");
            }
            // handshaken: the part goes straight to that peer, and closing waits (up to the linger) until it is written
            if (!push.send(payload)) {
                throw new PublishException("could not send to " + spec);
            }
        } catch (ZMQException | IllegalArgumentException e) {
            push.setLinger(0);
            throw new PublishException("cannot publish to " + spec + ": " + e.getMessage());
        } finally {
            events.close();
            push.close();
            zmq.term();
        }
    }
}
