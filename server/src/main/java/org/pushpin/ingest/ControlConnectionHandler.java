package org.pushpin.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.pushpin.publish.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control API connection: one request, one response, then close (Pushpin's server has no keep-alive). The
 * items are handed to the publisher before the 200 is written; handing over only queues them, so a publisher's
 * 200 never waits for delivery, and a publisher that waits for each 200 sees its items delivered in order.
 */
final class ControlConnectionHandler extends ChannelInboundHandlerAdapter {
    /** Pushpin logs these lines from its handler process. */
    private static final Logger LOG = LoggerFactory.getLogger("handler");

    private final ControlRequestReader reader;
    private final Publisher publisher;
    private final ControlHealth health;
    private boolean done;

    ControlConnectionHandler(int maxHeaders, int maxBody, Publisher publisher, ControlHealth health) {
        this.reader = new ControlRequestReader(maxHeaders, maxBody);
        this.publisher = publisher;
        this.health = health;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done || !(msg instanceof ByteBuf in)) {
                return;
            }
            byte[] data = new byte[in.readableBytes()];
            in.readBytes(data);
            reader.add(data, 0, data.length);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        while (!done) {
            ControlRequestReader.Step step = reader.next();
            if (step instanceof ControlRequestReader.NeedMore) {
                return;
            } else if (step instanceof ControlRequestReader.Continue) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reader.continueBytes()));
            } else if (step instanceof ControlRequestReader.Failed f) {
                respond(ctx, f.reply(), f.http10());
            } else if (step instanceof ControlRequestReader.Complete c) {
                handle(ctx, c.request());
            }
        }
    }

    private void handle(ChannelHandlerContext ctx, ControlRequest req) {
        ControlReply reply = ControlApi.handle(req, health);
        done = true; // one request per connection: nothing more is read while the answer is pending
        handOver(reply).whenComplete((answer, e) -> ctx.executor().execute(() -> {
            if (LOG.isInfoEnabled()) {
                String uri = new String(req.uri().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                LOG.info("control: {} {} code={} {}{}", req.method(), uri, answer.code(), answer.body().length(),
                        answer.items() > -1 ? " items=" + answer.items() : "");
            }
            respond(ctx, answer, req.http10());
        }));
    }

    /**
     * Hands the items over, then answers: publish() only queues them here (delivery still follows the 200), and a
     * publisher that waits for each 200 then sees its items delivered in the order it sent them, even when its next
     * request lands on another event loop. With a cluster broker the answer waits until the broker has the items;
     * a hand-over that fails (the broker cannot take the publish) is answered with a 503, never with a 200: nothing
     * is lost without the publisher hearing of it.
     */
    private CompletableFuture<ControlReply> handOver(ControlReply reply) {
        CompletableFuture<ControlReply> answer = new CompletableFuture<>();
        try {
            if (reply.recover()) {
                publisher.recover();
            }
            if (reply.reportDrops()) {
                return reporting(reply, answer);
            }
            if (reply.feedbackWait() > 0) {
                return withFeedback(reply, answer);
            }
            if (reply.publish().isEmpty()) {
                answer.complete(reply);
                return answer;
            }
            publisher.publish(reply.publish()).whenComplete((v, e) -> {
                if (e == null) {
                    answer.complete(reply);
                } else {
                    answer.complete(refused(e));
                }
            });
        } catch (RuntimeException e) {
            answer.complete(refused(e));
        }
        return answer;
    }

    /**
     * {@code ?report=drops}: the answer waits until every item was handed out here, and says what became of each.
     * Where that cannot be known (a cluster broker) nothing is published and the publisher is told why.
     */
    private CompletableFuture<ControlReply> reporting(ControlReply reply, CompletableFuture<ControlReply> answer) {
        if (!publisher.reportsDrops()) {
            answer.complete(ControlReply.text(400, "Bad Request", "Nothing published: ?" + ControlApi.REPORT_DROPS
                    + " is not available with a cluster broker (drops happen on other instances).\n"));
            return answer;
        }
        publisher.publishReporting(reply.publish()).whenComplete((report, e) ->
                answer.complete(e == null ? DropReportReply.of(report, reply.items()) : refused(e)));
        return answer;
    }

    /**
     * {@code ?feedback=1}: the answer waits until every instance that fanned the items out said what became of
     * them, or for the bounded wait the publisher gave (docs/delivery-feedback.md).
     */
    private CompletableFuture<ControlReply> withFeedback(ControlReply reply, CompletableFuture<ControlReply> answer) {
        if (!publisher.reportsFeedback()) {
            answer.complete(ControlReply.text(400, "Bad Request", "Nothing published: ?feedback=1 is not available "
                    + "with this broker.\n"));
            return answer;
        }
        publisher.publishWithFeedback(reply.publish(), reply.feedbackWait()).whenComplete((report, e) ->
                answer.complete(e == null ? FeedbackReply.of(report, reply.publish()) : refused(e)));
        return answer;
    }

    private static ControlReply refused(Throwable e) {
        if (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        LOG.warn("control: publishing failed: {}", e.toString());
        return ControlReply.text(503, "Service Unavailable", "Publish failed: " + e.getMessage() + "\n");
    }

    private void respond(ChannelHandlerContext ctx, ControlReply reply, boolean http10) {
        done = true;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.encode(http10))).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control: connection error: {}", cause.toString());
        ctx.close();
    }
}
