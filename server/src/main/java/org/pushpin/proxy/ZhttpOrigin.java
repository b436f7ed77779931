package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.routing.Target;
import org.pushpin.zhttp.client.ZhttpCall;
import org.pushpin.zhttp.client.ZhttpFailure;
import org.pushpin.zhttp.client.ZhttpListener;
import org.pushpin.zhttp.client.ZhttpRequestSpec;
import org.pushpin.zhttp.client.ZhttpService;

/**
 * One ask of a {@code zhttp/} or {@code zhttpreq/} target for a {@link ProxyExchange}, in place of an origin
 * connection: the request body is collected (at most 1,000,000 bytes, Pushpin's request-mode limit), then the
 * request goes to the service; what comes back is turned into the same response head and body parts an HTTP origin
 * gives, on the client's loop, so it goes through the same GRIP inspection and relay. Body the exchange took is
 * credited back to the service when the exchange asks for more ({@link #read()}), which is the stream mode's
 * backpressure.
 */
final class ZhttpOrigin implements ZhttpListener {
    static final int BODY_MAX = 1_000_000;

    private final ProxyExchange exchange;
    private final ClientRequest request;
    private final ProxyContext context;
    private final Target target;
    private final EventLoop loop;
    private final HttpRequest head;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ZhttpCall call;
    /** Body bytes handed to the exchange since it last asked for more; the loop's. */
    private int taken;
    /** Let go (finished, failed or closed): events still coming are dropped; the loop's. */
    private boolean over;
    private boolean finished;

    ZhttpOrigin(ProxyExchange exchange, ClientRequest request, ProxyContext context, Target target, EventLoop loop) {
        this.exchange = exchange;
        this.request = request;
        this.context = context;
        this.target = target;
        this.loop = loop;
        this.head = request.toOrigin(context, target);
    }

    /** Starts: at once when the whole body is here (none, or kept for a retry), else when its end came. */
    void open() {
        if (request.complete()) {
            LastHttpContent end = request.end();
            add(end.content());
            end.release();
            start();
        }
    }

    /** A part of the client's body; the request goes out with the last. */
    void send(HttpContent content) {
        if (over) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        add(content.content());
        content.release();
        if (body.size() > BODY_MAX) {
            fail("Error: request body over " + BODY_MAX + " bytes for a zhttp service.");
        } else if (last) {
            start();
        }
    }

    private void add(ByteBuf data) {
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        body.writeBytes(bytes);
    }

    private void start() {
        ZhttpService service;
        try {
            service = context.zhttpServices().service(target.kind() == Target.Kind.ZHTTPREQ, target.zhttpSpec());
        } catch (IllegalArgumentException | IllegalStateException e) {
            RequestLog.debug("zhttp target not usable: " + e.getMessage(), null);
            fail("Error: zhttp service for route is unreachable.");
            return;
        }
        String host = head.headers().get(HttpHeaderNames.HOST, "localhost");
        String uri = (target.ssl() ? "https://" : "http://") + host + head.uri();
        List<Map.Entry<String, String>> headers = new ArrayList<>(head.headers().size());
        for (Map.Entry<String, String> h : head.headers()) {
            headers.add(Map.entry(h.getKey(), h.getValue()));
        }
        byte[] bytes = body.toByteArray();
        body = null;
        call = service.start(new ZhttpRequestSpec(head.method().name(), uri, headers, bytes,
                !target.untrusted()), this);
    }

    /** The exchange takes more: what it took so far is credited back to the service. */
    void read() {
        if (call != null && taken > 0 && !over) {
            call.credit(taken);
            taken = 0;
        }
    }

    /** Whether the service sent the whole response. */
    boolean finished() {
        return finished;
    }

    /** The exchange lets go: a session still open is cancelled. */
    void close() {
        if (!over) {
            over = true;
            if (call != null && !finished) {
                call.cancel();
            }
        }
    }

    private void fail(String detail) {
        close();
        context.metrics().originError(ServerMetrics.OriginError.BAD_RESPONSE);
        exchange.originFailed(detail);
    }

    /** Runs {@code task} on the client's loop; a loop already shut down (the server stopping) has no one to tell. */
    private void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            RequestLog.debug("zhttp answer after the client's loop stopped", null);
        }
    }

    // ---- from the service's thread ----------------------------------------------------------------------------

    /** The head, kept until the first body part comes with it (service thread only). */
    private HttpResponse head0;

    @Override
    public void onHead(int code, String reason, List<Map.Entry<String, String>> headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(code, reason.isEmpty() ? HttpResponseStatus.valueOf(code).reasonPhrase()
                        : reason));
        if (headers != null) {
            for (Map.Entry<String, String> h : headers) {
                response.headers().add(h.getKey(), h.getValue());
            }
        }
        head0 = response;
    }

    @Override
    public void onBody(byte[] part, boolean last) {
        HttpResponse response = head0;
        head0 = null;
        if (response != null && last && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && !response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // the whole body came with the head: its length is known (Pushpin says it too)
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, part.length);
        }
        post(() -> {
            if (over || exchange.isDone()) {
                return;
            }
            if (response != null) {
                exchange.onOriginResponse(response);
                if (over || exchange.isDone()) {
                    return;
                }
            }
            if (last) {
                finished = true;
            }
            taken += part.length;
            ByteBuf data = Unpooled.wrappedBuffer(part);
            exchange.onOriginContent(last ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data));
        });
    }

    @Override
    public void onFailure(ZhttpFailure failure, String detail) {
        post(() -> {
            if (over || exchange.isDone()) {
                return;
            }
            over = true;
            context.metrics().originError(switch (failure) {
                case UNREACHABLE -> ServerMetrics.OriginError.TIMEOUT;
                case UNAVAILABLE, SETUP -> ServerMetrics.OriginError.CONNECT;
                case PROTOCOL -> ServerMetrics.OriginError.BAD_RESPONSE;
            });
            exchange.originFailed(detail);
        });
    }
}
