package org.pushpin.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import org.pushpin.routing.Target;

/**
 * One origin request answering every identical request that arrived while it was in flight ({@link
 * SharedRequests}). Its leader, the {@link ProxyExchange} that asks the origin, hands each part of the answer here
 * as it handles it; the answer is kept (at most {@link #ANSWER_MAX} bytes of body) and, once complete, each
 * follower gets it on its own event loop and answers its client as if the origin had answered it: relayed, or read
 * as GRIP (so a hold holds every follower). What cannot be shared sends the followers to the origin on their own: a
 * plain answer of unknown or larger length (it may stream for ever), a larger body. The leader's client gone,
 * one follower asks again and leads the others; the origin failing, every follower gets the leader's error.
 * The leader's methods run on its loop; {@link #follow} runs on any, under the lock.
 */
final class SharedRequest {
    /** The largest body shared, as Pushpin's proxy buffers at most this much of an answer to share it. */
    static final int ANSWER_MAX = GripResponse.BUFFER_MAX;

    private final SharedRequests owner;
    private final String key;
    /** Joined so far; null once closed (the answer known, or given up). */
    private List<ProxyExchange> followers = new ArrayList<>(4);
    private HttpResponse head;
    private Target target;
    private CompositeByteBuf body;

    SharedRequest(SharedRequests owner, String key) {
        this.owner = owner;
        this.key = key;
    }

    String key() {
        return key;
    }

    /** Joins {@code exchange} to the answer; false when it is too late (the answer is known or given up). */
    synchronized boolean follow(ProxyExchange exchange) {
        if (followers == null) {
            return false;
        }
        followers.add(exchange);
        return true;
    }

    /** No more joins; returns who joined. */
    private List<ProxyExchange> close() {
        owner.remove(this);
        List<ProxyExchange> joined;
        synchronized (this) {
            joined = followers;
            followers = null;
        }
        return joined == null ? List.of() : joined;
    }

    // ---- from the leader --------------------------------------------------------------------------------------

    /**
     * The origin's response head; {@code grip}: it is read as GRIP (buffered whole by the leader too), {@code
     * bodiless}: no body can follow (HEAD, 204, 304). Returns false when the answer cannot be shared (the followers
     * were sent to the origin on their own).
     */
    boolean response(HttpResponse response, boolean grip, boolean bodiless, Target from) {
        if (!grip && !bodiless && !boundedLength(response)) {
            goAlone();
            return false;
        }
        head = response;
        target = from;
        body = Unpooled.compositeBuffer(64);
        return true;
    }

    private static boolean boundedLength(HttpResponse response) {
        if (HttpUtil.isTransferEncodingChunked(response)) {
            return false;
        }
        String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return length != null && Long.parseLong(length.trim()) <= ANSWER_MAX;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A part of the answer's body, before the leader consumes it; {@code last} completes the answer, which goes to
     * the followers. Returns false when the answer can no longer be shared (too large).
     */
    boolean content(HttpContent content, boolean last) {
        ByteBuf data = content.content();
        if (body.readableBytes() + data.readableBytes() > ANSWER_MAX) {
            goAlone();
            return false;
        }
        if (data.isReadable()) {
            body.addComponent(true, data.retainedSlice());
        }
        if (last) {
            answer();
        }
        return true;
    }

    private void answer() {
        List<ProxyExchange> joined = close();
        for (ProxyExchange f : joined) {
            ByteBuf copy = body.retainedDuplicate();
            on(f, () -> f.sharedAnswer(head, copy, target));
        }
        release();
    }

    /** The origin failed: every follower answers as the leader does. */
    void failed(String debugMessage) {
        for (ProxyExchange f : close()) {
            on(f, () -> f.sharedFailure(debugMessage));
        }
        release();
    }

    /** The answer cannot be shared: each follower asks the origin on its own. */
    private void goAlone() {
        for (ProxyExchange f : close()) {
            on(f, () -> f.askShared(null, null));
        }
        release();
    }

    /**
     * The leader ended before the answer came (its client left): the first follower asks again and the rest follow
     * it. The new request is in place before anyone runs, so a follower whose loop is slow cannot find the re-asked
     * answer already gone and ask a third time.
     */
    void leaderGone() {
        List<ProxyExchange> joined = close();
        release();
        if (joined.isEmpty()) {
            return;
        }
        ProxyExchange lead = joined.get(0);
        SharedRequest next = owner.handOver(key, joined.subList(1, joined.size()));
        if (next == null) {
            for (ProxyExchange f : joined) { // another request leads this key by now: all join it
                on(f, () -> f.askShared(key, null));
            }
        } else {
            on(lead, () -> lead.askShared(key, next));
        }
    }

    private static void on(ProxyExchange exchange, Runnable task) {
        EventLoop loop = exchange.client().channel().eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
