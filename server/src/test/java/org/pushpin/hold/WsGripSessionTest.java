package org.pushpin.hold;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pushpin.broker.EmbeddedBroker;
import org.pushpin.config.HandlerConfig;
import org.pushpin.hub.Hub;
import org.pushpin.message.Action;
import org.pushpin.message.PublishItem;
import org.pushpin.message.WsMessageFormat;
import org.pushpin.metrics.ServerMetrics;
import org.pushpin.proxy.WsConnection;
import org.pushpin.timer.ManualWheels;
import org.pushpin.timer.TimerWheel;

/**
 * {@link WsGripSession} driven through its seam: a real {@link Hub} (in-process broker) and a recording
 * {@link WsConnection} standing in for the proxied WebSocket, on a real event loop. Time is the test's: the
 * sessions' timer wheel reads a clock the test advances, and fires when the test ticks it.
 */
class WsGripSessionTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static DefaultEventLoopGroup group;
    private static EventLoop loop;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private ServerMetrics metrics;
    private Hub hub;
    private TimerWheel wheel;
    private WsGripSessions sessions;

    @BeforeAll
    static void startLoop() {
        group = new DefaultEventLoopGroup(1);
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startHub() throws Exception {
        metrics = new ServerMetrics();
        hub = new Hub(config(3), HoldHandoff.deliveryKinds(), new EmbeddedBroker(), metrics);
        wheel = onLoop(() -> ManualWheels.create(loop, clock::get));
        sessions = new WsGripSessions(hub, metrics, 3, l -> wheel);
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    static HandlerConfig config(int subscriptionMax) {
        return new HandlerConfig("", List.of(), false, "127.0.0.1", -1, 10000, 1000000, "", "", -1, -1, -1, 5000,
                0, subscriptionMax, 0, 60, 10, "tnetstring", null, "", false);
    }

    // ---- the seam's stand-in ----

    /** A sent frame as the client would see it. */
    record Msg(String type, String content) {
        static Msg of(WebSocketFrame f) {
            String type = f instanceof TextWebSocketFrame ? "text" : f instanceof BinaryWebSocketFrame ? "binary"
                    : f instanceof PingWebSocketFrame ? "ping" : f instanceof PongWebSocketFrame ? "pong" : "other";
            return new Msg(type, f.content().toString(UTF_8));
        }
    }

    /** A shared, already-encoded frame: kept as given, so tests can compare identity and decode it. */
    record Shared(ByteBuf frame) {
        Msg decoded() {
            EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
            ch.writeInbound(frame.duplicate());
            WebSocketFrame f = ch.readInbound();
            assertThat((Object) ch.readInbound()).as("one whole frame").isNull();
            Msg m = Msg.of(f);
            f.release();
            ch.finishAndReleaseAll();
            return m;
        }
    }

    record Closed(int code, String reason) {
    }

    static final class Recording implements WsConnection {
        final String prefix;
        final List<String> implicit;
        final Map<String, String> meta = new HashMap<>();
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        Recording(String prefix, List<String> implicit) {
            this.prefix = prefix;
            this.implicit = implicit;
        }

        @Override
        public EventLoop loop() {
            return loop;
        }

        @Override
        public void sendToClient(WebSocketFrame frame) {
            assertThat(loop.inEventLoop()).isTrue();
            events.add(Msg.of(frame));
            frame.release();
        }

        @Override
        public void sendSharedToClient(ByteBuf encodedFrame) {
            assertThat(loop.inEventLoop()).isTrue();
            events.add(new Shared(encodedFrame));
        }

        @Override
        public void close(int code, String reason) {
            events.add(new Closed(code, reason));
        }

        @Override
        public void detach() {
            events.add("detach");
        }

        @Override
        public void refresh() {
            events.add("refresh");
        }

        @Override
        public Map<String, String> meta() {
            return meta;
        }

        @Override
        public org.pushpin.routing.Route route() {
            return null; // not routed: statsRoute and channelPrefix are given below
        }

        @Override
        public String statsRoute() {
            return "";
        }

        @Override
        public String channelPrefix() {
            return prefix;
        }

        @Override
        public List<String> implicitChannels() {
            return implicit;
        }

        Object next() throws InterruptedException {
            Object e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        /** The next event, a message sent either way (shared frames decoded). */
        Msg nextMsg() throws InterruptedException {
            Object e = next();
            return e instanceof Shared s ? s.decoded() : (Msg) e;
        }
    }

    // ---- helpers ----

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private WsGripSession open(Recording c) throws Exception {
        return onLoop(() -> (WsGripSession) sessions.open(c));
    }

    private void control(WsGripSession s, String json) throws Exception {
        onLoop(() -> s.onControl(json));
    }

    private void subscribe(WsGripSession s, String channel) throws Exception {
        control(s, "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
    }

    /** Advances the sessions' clock to {@code seconds} after the start and fires what is due. */
    private void at(double seconds) throws Exception {
        onLoop(() -> {
            clock.set(1_000 * SECOND + (long) (seconds * SECOND));
            ManualWheels.tick(wheel);
        });
    }

    private static PublishItem text(String channel, String content, Map<String, String> meta) {
        return ws(channel, meta, new WsMessageFormat(Action.SEND, WsMessageFormat.Type.TEXT, content.getBytes(UTF_8),
                -1, null, List.of()));
    }

    private static PublishItem ws(String channel, Map<String, String> meta, WsMessageFormat f) {
        return new PublishItem(channel, null, null, meta, false, -1, null, null, f);
    }

    private void publish(PublishItem item) {
        hub.publish(List.of(item));
    }

    // ---- tests ----

    @Test
    void subscribeThenPublishReachesTheClientAsOneSharedFrame() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        subscribe(s, "room");
        assertThat(hub.subscriberCount("room")).isEqualTo(1);
        assertThat(metrics.held(ServerMetrics.HoldKind.WEBSOCKET)).isEqualTo(1);
        publish(text("room", "hello", Map.of()));
        Shared shared = (Shared) c.next();
        assertThat(ByteBufUtil.hexDump(shared.frame())).isEqualTo("8105" + ByteBufUtil.hexDump("hello".getBytes(UTF_8)));
        assertThat(shared.frame().isReadOnly()).isTrue();
        assertThat(shared.decoded()).isEqualTo(new Msg("text", "hello"));

        publish(ws("room", Map.of(), new WsMessageFormat(Action.SEND, WsMessageFormat.Type.BINARY, new byte[] {0, 1},
                -1, null, List.of())));
        assertThat(c.nextMsg()).isEqualTo(new Msg("binary", "\0\1"));
        publish(ws("room", Map.of(), new WsMessageFormat(Action.SEND, WsMessageFormat.Type.PING, "p".getBytes(UTF_8),
                -1, null, List.of())));
        assertThat(c.nextMsg()).isEqualTo(new Msg("ping", "p"));
    }

    @Test
    void twoConnectionsGetTheVerySameEncodedFrame() throws Exception {
        Recording a = new Recording("", List.of());
        Recording b = new Recording("", List.of());
        subscribe(open(a), "room");
        subscribe(open(b), "room");
        publish(text("room", "once", Map.of()));
        Shared fromA = (Shared) a.next();
        Shared fromB = (Shared) b.next();
        assertThat(fromA.frame()).isSameAs(fromB.frame());
        assertThat(fromA.decoded()).isEqualTo(new Msg("text", "once"));
    }

    @Test
    void routePrefixIsPrependedToEveryChannel() throws Exception {
        Recording c = new Recording("p_", List.of());
        WsGripSession s = open(c);
        subscribe(s, "room");
        assertThat(s.channels()).containsExactly("p_room");
        publish(text("room", "unprefixed", Map.of()));
        publish(text("p_room", "prefixed", Map.of()));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "prefixed"));
    }

    @Test
    void subscriptionsBeyondTheMaxAreIgnored() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        for (String ch : List.of("a", "b", "c", "d")) {
            subscribe(s, ch);
        }
        subscribe(s, "a"); // again: not a new one
        assertThat(s.channels()).containsExactly("a", "b", "c");
        assertThat(hub.subscriberCount("d")).isZero();
        publish(text("d", "not subscribed", Map.of()));
        publish(text("c", "third", Map.of()));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "third"));
    }

    @Test
    void unsubscribeStopsDeliveriesButNotForImplicitChannels() throws Exception {
        Recording c = new Recording("p_", List.of("imp"));
        WsGripSession s = open(c);
        assertThat(s.channels()).containsExactly("p_imp");
        subscribe(s, "a");
        control(s, "{\"type\":\"unsubscribe\",\"channel\":\"a\"}");
        control(s, "{\"type\":\"unsubscribe\",\"channel\":\"imp\"}");
        assertThat(s.channels()).containsExactly("p_imp");
        assertThat(hub.subscriberCount("p_a")).isZero();
        publish(text("p_a", "gone", Map.of()));
        publish(text("p_imp", "implicit", Map.of()));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "implicit"));
    }

    @Test
    void setMetaFeedsSkipSelfAndVarSubst() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        control(s, "{\"type\":\"subscribe\",\"channel\":\"room\",\"filters\":[\"skip-self\"]}");
        control(s, "{\"type\":\"subscribe\",\"channel\":\"greet\",\"filters\":[\"var-subst\"]}");
        control(s, "{\"type\":\"set-meta\",\"name\":\"user\",\"value\":\"alice\"}");
        assertThat(c.meta).containsEntry("user", "alice");
        publish(text("room", "from alice", Map.of("sender", "alice")));
        publish(text("room", "from bob", Map.of("sender", "bob")));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "from bob"));
        publish(text("greet", "hi %(user)s", Map.of()));
        Object greeting = c.next();
        assertThat(greeting).as("rendered for this connection, not shared").isEqualTo(new Msg("text", "hi alice"));

        control(s, "{\"type\":\"set-meta\",\"name\":\"user\"}");
        assertThat(c.meta).doesNotContainKey("user");
        publish(text("room", "from alice again", Map.of("sender", "alice")));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "from alice again"));
    }

    @Test
    void closeActionClosesTheConnectionAndHintDoesNothing() throws Exception {
        Recording c = new Recording("", List.of());
        subscribe(open(c), "room");
        publish(ws("room", Map.of(), new WsMessageFormat(Action.HINT, WsMessageFormat.Type.TEXT, new byte[0], -1,
                null, List.of())));
        publish(ws("room", Map.of(), new WsMessageFormat(Action.CLOSE, WsMessageFormat.Type.TEXT, new byte[0], 4001,
                "pubclose", List.of())));
        assertThat(c.next()).isEqualTo(new Closed(4001, "pubclose"));
    }

    @Test
    void detachSessionAndInvalidMessages() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        control(s, "not json");
        control(s, "{\"type\":\"bogus\"}");
        control(s, "{\"type\":\"session\",\"id\":\"s-1\"}");
        assertThat(s.sessionId()).isEqualTo("s-1");
        control(s, "{\"type\":\"detach\"}");
        assertThat(c.next()).isEqualTo("detach");
        assertThat(c.events).isEmpty();
    }

    @Test
    void closedUnsubscribesEverythingAndStopsTimers() throws Exception {
        Recording c = new Recording("", List.of("imp"));
        WsGripSession s = open(c);
        subscribe(s, "a");
        control(s, "{\"type\":\"keep-alive\",\"content\":\"ka\",\"timeout\":5}");
        control(s, "{\"type\":\"send-delayed\",\"content\":\"later\"}");
        assertThat(metrics.subscriptions()).isEqualTo(2);
        onLoop(s::closed);
        onLoop(s::closed); // once only
        assertThat(hub.subscriberCount("a")).isZero();
        assertThat(hub.subscriberCount("imp")).isZero();
        assertThat(metrics.subscriptions()).isZero();
        assertThat(metrics.held(ServerMetrics.HoldKind.WEBSOCKET)).isZero();
        assertThat(onLoop(() -> ManualWheels.size(wheel))).as("timers left in the wheel").isZero();
        at(60);
        control(s, "{\"type\":\"subscribe\",\"channel\":\"b\"}");
        assertThat(hub.subscriberCount("b")).isZero();
        assertThat(c.events).isEmpty();
    }

    @Test
    void idleKeepAliveWaitsAgainAfterEachMessageToTheClient() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        subscribe(s, "room");
        control(s, "{\"type\":\"keep-alive\",\"content\":\"ka\",\"timeout\":10}");
        at(8.5);
        assertThat(c.events).isEmpty();
        onLoop(s::onOriginMessage); // due again at 17.5..18.5 (up to 1 s early)
        at(17.25);
        assertThat(c.events).isEmpty();
        at(18.75);
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "ka"));
        // A published delivery counts too.
        publish(text("room", "news", Map.of()));
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "news")); // at 18.75: next keep-alive at 27.75..28.75
        at(27.5);
        assertThat(c.events).isEmpty();
        at(29);
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "ka"));
    }

    @Test
    void intervalKeepAliveIgnoresTraffic() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        control(s, "{\"type\":\"keep-alive\",\"content-bin\":\"AAE=\",\"timeout\":10,\"mode\":\"interval\"}");
        at(8.5);
        onLoop(s::onOriginMessage);
        assertThat(c.events).isEmpty();
        at(10.25);
        assertThat(c.nextMsg()).isEqualTo(new Msg("binary", "\0\1"));
        at(20.5);
        assertThat(c.nextMsg()).isEqualTo(new Msg("binary", "\0\1"));
        control(s, "{\"type\":\"keep-alive\"}"); // off
        at(60);
        assertThat(c.events).isEmpty();
    }

    @Test
    void keepAliveDefaultTimeoutIs55Seconds() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        control(s, "{\"type\":\"keep-alive\",\"content\":\"\",\"message-type\":\"ping\",\"timeout\":0}");
        at(53.5);
        assertThat(c.events).isEmpty();
        at(55.25);
        assertThat(c.nextMsg()).isEqualTo(new Msg("ping", ""));
    }

    @Test
    void sendDelayedWaitsItsTimeoutAndANewOneFlushesThePendingOne() throws Exception {
        Recording c = new Recording("", List.of());
        WsGripSession s = open(c);
        control(s, "{\"type\":\"send-delayed\",\"content\":\"one\",\"timeout\":2}");
        at(1.5);
        assertThat(c.events).isEmpty();
        at(2.25);
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "one"));

        control(s, "{\"type\":\"send-delayed\",\"content\":\"two\"}"); // default 1 s
        control(s, "{\"type\":\"send-delayed\",\"content\":\"three\",\"message-type\":\"binary\",\"timeout\":5}");
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "two"));
        assertThat(c.events).isEmpty();
        control(s, "{\"type\":\"flush-delayed\"}");
        assertThat(c.nextMsg()).isEqualTo(new Msg("binary", "three"));
        at(30);
        assertThat(c.events).isEmpty();

        control(s, "{\"type\":\"send-delayed\",\"content\":\"zero\",\"timeout\":0}"); // as 1.36: the default
        at(30.5);
        assertThat(c.events).isEmpty();
        at(31.25);
        assertThat(c.nextMsg()).isEqualTo(new Msg("text", "zero"));
    }
}
