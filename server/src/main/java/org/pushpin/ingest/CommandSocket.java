package org.pushpin.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishParser;
import org.pushpin.message.TnetItems;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.publish.Publisher;
import org.pushpin.tnet.TnetString;
import org.pushpin.tnet.TnetStringException;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * The command socket ({@code command_spec}): ZRPC over a bound ROUTER, as Pushpin answers it. A request is one
 * tnetstring dict {@code {id?, method, args?}} behind the empty delimiter (a REQ client, or a DEALER that sends
 * {@code [empty, request]}); the reply goes back the same way: {@code {value, id, success: true}} or
 * {@code {value?, condition, id, success: false}} ({@code id} only when the request had one).
 *
 * <p>Methods: {@code publish}, {@code recover}, {@code get-zmq-uris}, {@code conncheck}, {@code refresh}; another
 * is answered {@code method-not-found}. What 1.36 leaves unanswered stays unanswered (and is counted and logged):
 * a message without the empty delimiter, a payload that is not a tnetstring dict, a dict without {@code method}.
 */
public final class CommandSocket extends ZmqReceiver {
    /** The specs {@code get-zmq-uris} names. */
    public record Uris(String command, String publishPull, String publishSub) {
    }

    private final Publisher publisher;
    private final ServerMetrics metrics;
    private final Uris uris;

    private CommandSocket(ZContext zmq, Publisher publisher, ServerMetrics metrics, Uris uris) {
        super(zmq, SocketType.ROUTER, "command");
        this.publisher = publisher;
        this.metrics = metrics;
        this.uris = uris;
    }

    /** Binds {@code uris.command()} and starts answering. */
    public static CommandSocket start(ZContext zmq, Publisher publisher, ServerMetrics metrics, Uris uris) {
        CommandSocket s = new CommandSocket(zmq, publisher, metrics, uris);
        try {
            ZmqSpecs.bind(s.socket, uris.command());
        } catch (RuntimeException e) {
            s.stop();
            throw e;
        }
        LOG.info("command socket: {}", uris.command());
        s.startThread();
        return s;
    }

    @Override
    void onMessage(List<byte[]> parts) {
        if (parts.size() != 3 || parts.get(1).length != 0) {
            dropped("request without the empty delimiter (" + parts.size() + " parts) not answered");
            return;
        }
        Map<String, Object> request;
        try {
            request = TnetString.parseDict(parts.get(2), 0, parts.get(2).length);
        } catch (TnetStringException e) {
            dropped("request is not a tnetstring dict (" + e.getMessage() + "), not answered");
            return;
        }
        Object method = request.get("method");
        if (!(method instanceof byte[] m)) {
            dropped("request without a method, not answered");
            return;
        }
        Object id = request.get("id");
        Map<String, Object> reply = answer(new String(m, StandardCharsets.UTF_8), request.get("args"));
        if (id != null) {
            reply.put("id", id);
        }
        reply.put("success", !reply.containsKey("condition"));
        socket.sendMore(parts.get(0));
        socket.sendMore(new byte[0]);
        socket.send(TnetString.encode(reply));
    }

    private void dropped(String why) {
        metrics.dropped(ServerMetrics.Drop.MALFORMED_INPUT, 1);
        warn(why);
    }

    /** The reply without {@code id} and {@code success}: {@code value}, and {@code condition} on failure. */
    private Map<String, Object> answer(String method, Object args) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<?, ?> a = args instanceof Map<?, ?> map ? map : Map.of();
        switch (method) {
            case "publish" -> {
                try {
                    publisher.publish(PublishParser.parseRequest(TnetItems.toJson(a)));
                    r.put("value", null);
                } catch (PublishFormatException e) {
                    r.put("value", e.getMessage());
                    r.put("condition", "bad-request");
                }
            }
            case "recover" -> {
                publisher.recover();
                r.put("value", null);
            }
            case "get-zmq-uris" -> {
                Map<String, Object> v = new LinkedHashMap<>();
                if (uris.publishPull() != null) {
                    v.put("publish-pull", uris.publishPull());
                }
                if (uris.publishSub() != null) {
                    v.put("publish-sub", uris.publishSub());
                }
                v.put("command", uris.command());
                r.put("value", v);
            }
            case "conncheck" -> {
                if (!(a.get("ids") instanceof List<?> ids)) {
                    r.put("condition", "bad-request");
                } else {
                    // the ids of those still open; an id never seen or gone is left out
                    List<byte[]> open = new ArrayList<>();
                    for (Object id : ids) {
                        if (id instanceof byte[] b
                                && metrics.connections().isOpen(new String(b, StandardCharsets.UTF_8))) {
                            open.add(b);
                        }
                    }
                    r.put("value", open);
                }
            }
            case "refresh" -> refresh(a, r);
            default -> r.put("condition", "method-not-found");
        }
        return r;
    }

    /**
     * {@code refresh {channel}}: every WebSocket-over-HTTP connection on the channel posts a request now (handed to
     * the hub as a {@code ws-message} with action {@code refresh}); {@code refresh {cid}}: that connection (when it
     * is WebSocket-over-HTTP; any other open connection just succeeds), or {@code item-not-found}.
     */
    private void refresh(Map<?, ?> a, Map<String, Object> r) {
        Object channel = a.get("channel");
        if (channel instanceof byte[] ch) {
            String name = new String(ch, StandardCharsets.UTF_8);
            Map<String, Object> item = Map.of("channel", name,
                    "formats", Map.of("ws-message", Map.of("action", "refresh")));
            try {
                publisher.publish(List.of(PublishParser.parseItem(TnetItems.toJson(item), null)));
                r.put("value", null);
            } catch (PublishFormatException e) {
                r.put("condition", "bad-request");
            }
        } else if (a.get("cid") instanceof byte[] cid) {
            if (metrics.connections().refresh(new String(cid, StandardCharsets.UTF_8))) {
                r.put("value", null);
            } else {
                r.put("condition", "item-not-found");
            }
        } else {
            r.put("condition", "bad-request");
        }
    }
}
