package org.pushpin.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.bootstrap.ServerBootstrap;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench origin's answers for nginx with Nchan and its re-poll timings, over real sockets. */
class SseHoldOriginTest {
    private static EventLoopGroup group;
    private static int port;

    @BeforeAll
    static void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(SseHoldOrigin.initializer(10))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void nginxIsRedirectedToTheRoomsNchanSubscriberLocation() throws Exception {
        HttpResponse<String> sse = get("/accel/sse/17");
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("X-Accel-Redirect")).hasValue("/nchan/sse/room-7");
        assertThat(sse.headers().firstValue("Grip-Hold")).isEmpty();
        assertThat(sse.body()).isEmpty();
        HttpResponse<String> poll = get("/accel/poll/3?after=1");
        assertThat(poll.headers().firstValue("X-Accel-Redirect")).hasValue("/nchan/poll/room-3");
        HttpResponse<String> grip = get("/poll/3");
        assertThat(grip.headers().firstValue("Grip-Hold")).hasValue("response");
        assertThat(grip.headers().firstValue("Grip-Timeout")).hasValue("3600");
    }

    @Test
    void rePollsCarryingAfterAreTimedAndEachReadStartsAfresh() throws Exception {
        get("/repoll"); // whatever other tests left
        long headStart = TimeUnit.MILLISECONDS.toNanos(50);
        get("/poll/4?after=" + (System.nanoTime() - headStart));
        get("/accel/poll/5?after=" + (System.nanoTime() - headStart));
        get("/poll/6"); // a first poll: nothing to time
        String first = get("/repoll").body();
        assertThat(first).startsWith("count=2 ");
        double p50 = Double.parseDouble(first.replaceAll(".*p50_ms=([0-9.]+).*\\s*", "$1"));
        assertThat(p50).isGreaterThanOrEqualTo(50);
        assertThat(get("/repoll").body()).startsWith("count=0 ");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
