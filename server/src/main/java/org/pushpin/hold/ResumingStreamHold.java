package org.pushpin.hold;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.pushpin.hub.ResumeGate;
import org.pushpin.hub.Subscriber;
import org.pushpin.proxy.GripExchange;

/**
 * A stream hold whose client asked to resume (docs/history.md): its request carried {@code Last-Event-ID} (or the
 * {@code lastEventId} query parameter EventSource polyfills send) and history is on. It subscribes through a
 * {@link ResumeGate}, and once its head and initial body went out it gets the items after that id from the history,
 * then live ones. Only such holds pay for the gate and the id.
 */
final class ResumingStreamHold extends StreamHold {
    private final ResumeGate gate;
    private final String lastId;

    ResumingStreamHold(GripExchange exchange, HoldContext context, String lastId) {
        super(exchange, context);
        this.gate = new ResumeGate(this);
        this.lastId = lastId;
    }

    /** The id a stream request resumes after, or null: {@code Last-Event-ID}, else the {@code lastEventId} query. */
    static String resumeId(HttpRequest request) {
        String id = request.headers().get("Last-Event-ID");
        if (id == null && request.uri().contains("lastEventId=")) {
            List<String> q = new QueryStringDecoder(request.uri()).parameters().get("lastEventId");
            id = q == null || q.isEmpty() ? null : q.get(0);
        }
        return id == null || id.isEmpty() ? null : id;
    }

    @Override
    Subscriber subscriber() {
        return gate;
    }

    @Override
    void begun() {
        context.hub.history().replayAfter(loop, channels, lastId, gate::replay);
    }
}
