package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.pushpin.grip.HoldMode;
import org.pushpin.grip.Instruct;

/**
 * The response to the client of one {@link ProxyExchange}: its head and framing (the origin's Content-Length,
 * else chunked to HTTP/1.1 clients and close-delimited to HTTP/1.0 ones), and the origin's body relayed with
 * backpressure: the origin is read only while the client connection is writable. A held stream writes its body
 * through here as well.
 */
final class ResponseRelay {
    private final ProxyExchange exchange;
    private final ClientConnection client;
    private final OriginLink origin;
    /** Takes the status that goes out, for the request log. */
    private final RequestInfo info;
    /** A HEAD request: the head goes out as the origin sent it, the body never does. */
    private final boolean headRequest;
    /** {@code auto_cross_origin} for the request, or null. */
    private final CrossOrigin crossOrigin;
    /** A relayed answer to a JSON-P request while it is wrapped; else null. */
    private JsonpRelay jsonp;
    private boolean started;
    private boolean chunked;
    private long bytes;
    /** An instruction whose body was too large to buffer: handed to the hold once the body has been relayed. */
    private Instruct handover;

    ResponseRelay(ProxyExchange exchange, ClientConnection client, OriginLink origin, ClientRequest request) {
        this.exchange = exchange;
        this.client = client;
        this.origin = origin;
        this.info = request.info();
        this.headRequest = request.isHead();
        this.crossOrigin = request.crossOrigin();
    }

    /** Whether the response head went out. */
    boolean started() {
        return started;
    }

    /** Whether the started response is chunked (HTTP/1.1) rather than close-delimited. */
    boolean chunked() {
        return chunked;
    }

    /** Body bytes sent so far. */
    long bytes() {
        return bytes;
    }

    /** A body of unknown length: chunked to HTTP/1.1 clients, close-delimited (no keep-alive) to HTTP/1.0 ones. */
    private void frameOpenEnded(HttpHeaders h) {
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (client.version().equals(HttpVersion.HTTP_1_1)) {
            h.set("Transfer-Encoding", HttpHeaderValues.CHUNKED);
            chunked = true;
        } else {
            client.keepAlive(false);
        }
    }

    /** Sends the response head for a streamed relay; {@code replacement} replaces the origin's when given. */
    void start(HttpResponse response, HttpResponse replacement) {
        if (replacement == null && crossOrigin != null && crossOrigin.jsonp() != null) {
            // nothing goes out until the body is known to fit the wrapping buffer, or known not to
            jsonp = new JsonpRelay(crossOrigin.jsonp().response(), client.channel().alloc(), response);
            return;
        }
        HttpResponse head = replacement != null ? replacement : new DefaultHttpResponse(client.version(),
                response.status(), response.headers().copy());
        HttpHeaders h = head.headers();
        boolean knownLength = replacement == null && h.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !HttpUtil.isTransferEncodingChunked(response);
        ResponseHeaders.removeHopByHop(h);
        if (crossOrigin != null) {
            crossOrigin.addCors(h);
        }
        int code = head.status().code();
        if (headRequest || code == 204 || code == 304) {
            chunked = false;
        } else if (!knownLength) {
            frameOpenEnded(h);
        }
        client.setConnectionHeader(h);
        started = true;
        info.status(head.status().code());
        client.channel().writeAndFlush(head);
    }

    /** Relays a part of the origin's body; the last one completes the relay. */
    void relay(HttpContent content) {
        if (jsonp != null) {
            relayWrapped(content);
            return;
        }
        if (!started) {
            content.release();
            return;
        }
        bytes += content.content().readableBytes();
        if (headRequest) {
            content.release();
            if (content instanceof LastHttpContent) {
                complete(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            return;
        }
        if (content instanceof LastHttpContent last) {
            complete(last);
            return;
        }
        client.channel().writeAndFlush(content);
        if (client.channel().isWritable()) {
            origin.read();
        }
    }

    /** Relays a part of the origin's body to a JSON-P client: buffered while it fits, else streamed. */
    private void relayWrapped(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (jsonp.buffering()) {
            boolean fits = jsonp.buffer(content.content());
            content.release();
            if (fits && !last) {
                origin.read();
                return;
            }
            if (fits) {
                FullHttpResponse whole = jsonp.whole(client.version());
                bytes += respond(whole);
                info.status(jsonp.code()); // the log shows the origin's status, which the call carries (as 1.36)
                jsonp = null;
                exchange.relayed(null);
                return;
            }
            HttpResponse head = jsonp.streamHead(client.version());
            frameOpenEnded(head.headers());
            client.setConnectionHeader(head.headers());
            started = true;
            info.status(jsonp.code());
            client.channel().write(head);
            write(jsonp.streamStart());
            if (!last) {
                if (client.channel().isWritable()) {
                    origin.read();
                }
                return;
            }
            content = LastHttpContent.EMPTY_LAST_CONTENT;
        }
        ByteBuf out = jsonp.stream(content.content(), last);
        content.release();
        write(out);
        if (!last) {
            if (client.channel().isWritable()) {
                origin.read();
            }
            return;
        }
        jsonp.release();
        jsonp = null;
        end();
        exchange.relayed(null);
    }

    /**
     * Relays the answer to an instruction too large to buffer: the instruction's response head, then the bytes
     * buffered so far ({@code last} when they were all of it) and the rest of the origin body as it comes; a stream
     * hold takes the open stream over at its end.
     */
    void startFromBuffer(HttpResponse originHead, Instruct instruct, ByteBuf buffered, boolean last) {
        start(originHead, RelayGripHandoff.head(client.version(), instruct.response()));
        this.handover = instruct.holdMode() == HoldMode.STREAM ? instruct : null;
        bytes += buffered.readableBytes();
        if (last) {
            complete(new DefaultLastHttpContent(buffered.retain()));
        } else {
            client.channel().writeAndFlush(new DefaultHttpContent(buffered.retain()));
            origin.read();
        }
    }

    private void complete(LastHttpContent last) {
        if (handover != null) {
            // An oversized stream-hold instruction: its body went through as it came; now the hold takes over
            // the open stream.
            if (last.content().isReadable()) {
                client.channel().writeAndFlush(new DefaultHttpContent(last.content().retain()));
            }
            last.release();
            Instruct instruct = handover;
            handover = null;
            exchange.relayed(instruct);
            return;
        }
        client.channel().writeAndFlush(last);
        exchange.relayed(null);
    }

    /** Sends a complete response of Pushpin's own; returns its body's size (what the log counts). */
    int respond(FullHttpResponse response) {
        int n = response.content().readableBytes();
        if (headRequest) {
            response.content().clear();
        }
        client.setConnectionHeader(response.headers());
        started = true;
        info.status(response.status().code());
        client.channel().writeAndFlush(response);
        return n;
    }

    // ---- a held stream ----------------------------------------------------------------------------------------

    /** Sends the head of a held stream, always open-ended: its body comes from the hold. */
    void startStream(HttpResponse head) {
        HttpHeaders h = head.headers();
        ResponseHeaders.removeHopByHop(h);
        if (crossOrigin != null) {
            crossOrigin.addCors(h); // even for JSON-P: a stream is not wrapped (as 1.36)
        }
        frameOpenEnded(h);
        client.setConnectionHeader(h);
        started = true;
        client.channel().writeAndFlush(head);
    }

    /** Appends to the started response, framed as it is; takes ownership of {@code data}. */
    void write(ByteBuf data) {
        if (!started) {
            data.release();
            return;
        }
        bytes += data.readableBytes();
        client.channel().writeAndFlush(chunked ? new DefaultHttpContent(data) : data);
    }

    /** Ends the started (open-ended) response. */
    void end() {
        client.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Lets go of a JSON-P body being wrapped (the exchange ends without it). */
    void release() {
        if (jsonp != null) {
            jsonp.release();
            jsonp = null;
        }
    }

    /** Debug mode, before the connection is cut off: says why in one more chunk (never the terminating one). */
    void writeDebugNote(String debugMessage) {
        if (chunked) {
            client.channel().writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("\n\n" + debugMessage + "\n",
                    StandardCharsets.UTF_8)));
        }
    }
}
