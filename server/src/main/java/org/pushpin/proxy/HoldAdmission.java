package org.pushpin.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import org.pushpin.metrics.HeapPressure;
import org.pushpin.metrics.ServerMetrics;

/**
 * Whether a new held connection (a stream or long-poll the origin asked for, a WebSocket) may start: not while the
 * heap is under pressure (docs/reliability.md#heap-pressure). A refused client gets Pushpin-style text in a 503 with
 * {@code Retry-After}, and the connection is closed: what it took is freed, and the client comes back later or to
 * another instance. Connections already held, and requests that hold nothing, are served as usual.
 */
final class HoldAdmission {
    /** What a refused client is told to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 10;
    static final String REFUSED = "Service Unavailable: too little memory to hold another connection; retry later.";

    private final HeapPressure heap;
    private final ServerMetrics metrics;

    HoldAdmission(HeapPressure heap, ServerMetrics metrics) {
        this.heap = heap;
        this.metrics = metrics;
    }

    /** True when a new hold is to be refused now: one volatile read. */
    boolean refuses() {
        return heap.high();
    }

    /** The answer to a refused hold ({@code what}: the kind, for the log); counted and logged at a bounded rate. */
    FullHttpResponse refusal(ByteBufAllocator alloc, HttpVersion version, String what) {
        metrics.dropped(ServerMetrics.Drop.HEAP_PRESSURE, 1);
        metrics.dropWarning(ServerMetrics.Drop.HEAP_PRESSURE).warn("heap under pressure ({}% of the maximum in use "
                + "after the last collection, limit {}%): a new {} refused with 503", heap.percentAfterGc(),
                heap.highPercent(), what);
        FullHttpResponse r = ErrorResponses.text(alloc, version, 503, "Service Unavailable", REFUSED);
        r.headers().setInt("Retry-After", RETRY_AFTER_SECONDS);
        return r;
    }
}
