package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An origin response relayed to a JSON-P client, wrapped in the call ({@link JsonpResponse}, relay layout). Like
 * Pushpin 1.36, which answers with a Content-Length when the whole body is there by the time it answers: the body
 * is buffered up to {@link #BUFFER_MAX} bytes, and a body that fits goes out whole; a longer one is streamed
 * (chunked, or close-delimited to HTTP/1.0) from then on.
 */
final class JsonpRelay {
    static final int BUFFER_MAX = 100_000;

    private final JsonpResponse codec;
    private final ByteBufAllocator alloc;
    private final int code;
    private final String reason;
    /** The origin's headers as Pushpin shows them in the extended object (hop-by-hop ones removed). */
    private final HttpHeaders originHeaders;
    /** The body while it is buffered; null once streaming. */
    private CompositeByteBuf buffered;
    /** Streaming: bytes held back for the next part (a cut-off UTF-8 sequence, a trailing newline). */
    private ByteBuf carry;

    JsonpRelay(JsonpResponse codec, ByteBufAllocator alloc, HttpResponse origin) {
        this.codec = codec;
        this.alloc = alloc;
        this.code = origin.status().code();
        this.reason = origin.status().reasonPhrase();
        this.originHeaders = origin.headers().copy();
        ResponseHeaders.removeHopByHop(originHeaders);
        this.buffered = alloc.compositeBuffer();
    }

    /** The origin's status, which the call carries (the answer itself is a 200). */
    int code() {
        return code;
    }

    /** Whether the body is still being buffered (no head went out). */
    boolean buffering() {
        return buffered != null;
    }

    /** Buffers a part of the body (retained); returns whether the body still fits the buffer. */
    boolean buffer(ByteBuf data) {
        if (data.isReadable()) {
            buffered.addComponent(true, data.retain());
        }
        return buffered.readableBytes() <= BUFFER_MAX;
    }

    /** The whole body came and fitted: the complete answer. */
    FullHttpResponse whole(HttpVersion version) {
        ByteBuf body = codec.start(alloc, code, reason, originHeaders);
        codec.body(body, buffered, true);
        ByteBuf end = codec.end(alloc);
        body.writeBytes(end);
        end.release();
        buffered.release();
        buffered = null;
        FullHttpResponse r = new DefaultFullHttpResponse(version, HttpResponseStatus.OK, body);
        r.headers().set("Content-Type", JsonpResponse.CONTENT_TYPE);
        r.headers().setInt("Content-Length", body.readableBytes());
        // caching directives are the one thing of the origin's head a script-tag answer keeps (as 1.36)
        for (String v : originHeaders.getAll("Cache-Control")) {
            r.headers().add("Cache-Control", v);
        }
        return r;
    }

    /** The body outgrew the buffer: the head of a streamed answer (framing is the caller's). */
    HttpResponse streamHead(HttpVersion version) {
        HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        head.headers().set("Content-Type", JsonpResponse.CONTENT_TYPE);
        return head;
    }

    /** Streaming starts: the opening of the call and what was buffered, as far as it can be written. */
    ByteBuf streamStart() {
        ByteBuf out = codec.start(alloc, code, reason, originHeaders);
        carry = buffered;
        buffered = null;
        codec.body(out, carry, false);
        return out;
    }

    /** A later part of the body, encoded (with the call's end when {@code last}); {@code data} is not released. */
    ByteBuf stream(ByteBuf data, boolean last) {
        ByteBuf in = data;
        if (carry.isReadable()) {
            in = alloc.buffer(carry.readableBytes() + data.readableBytes()).writeBytes(carry)
                    .writeBytes(data, data.readerIndex(), data.readableBytes());
        }
        carry.release();
        ByteBuf out = alloc.buffer(data.readableBytes() + 16);
        codec.body(out, in, last);
        if (last) {
            ByteBuf end = codec.end(alloc);
            out.writeBytes(end);
            end.release();
        }
        carry = in.isReadable() ? alloc.buffer(in.readableBytes()).writeBytes(in) : Unpooled.EMPTY_BUFFER;
        if (in != data) {
            in.release();
        }
        return out;
    }

    void release() {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
        if (carry != null) {
            carry.release();
            carry = null;
        }
    }
}
