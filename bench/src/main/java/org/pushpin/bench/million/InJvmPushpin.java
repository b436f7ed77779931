package org.pushpin.bench.million;

import ch.qos.logback.classic.Level;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.pushpin.bench.memory.SseHoldOrigin;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.StartOptions;
import org.pushpin.message.PublishItem;
import org.pushpin.message.PublishParser;
import org.pushpin.app.PushpinServer;
import org.slf4j.LoggerFactory;

/**
 * Our server and its origin in this JVM, both over the in-JVM transport: {@link PushpinServer} started from a
 * generated pushpin.conf, listening in-JVM; {@link SseHoldOrigin}'s pipeline bound on
 * {@code LocalAddress("127.0.0.1:20001")}, the target of the only route (the in-JVM rule of {@code OriginConnector}).
 * No TCP port is opened: the one listener the config needs is a unix socket in a temporary directory.
 */
final class InJvmPushpin implements AutoCloseable {
    private static final String ORIGIN = "127.0.0.1:20001";

    private final Path dir;
    private final PushpinServer server;
    private final EventLoopGroup originGroup;
    private final LocalAddress address;

    private InJvmPushpin(Path dir, PushpinServer server, EventLoopGroup originGroup, LocalAddress address) {
        this.dir = dir;
        this.server = server;
        this.originGroup = originGroup;
        this.address = address;
    }

    /** Starts the origin ({@code rooms} channels) and the server, admitting up to {@code maxConn} clients. */
    static InJvmPushpin start(int maxConn, int rooms) throws Exception {
        // the request log and "publish channel=... receivers=N" are a line per connection or room: not measured here
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
        EventLoopGroup originGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("origin", true),
                LocalIoHandler.newFactory());
        new ServerBootstrap().group(originGroup).channel(LocalServerChannel.class)
                .childHandler(SseHoldOrigin.initializer(rooms))
                .bind(new LocalAddress(ORIGIN)).sync();
        Path dir = Files.createTempDirectory("pushpin-million-");
        String conf = String.join("\n",
                "[runner]",
                "local_ports=" + dir.resolve("pushpin.sock"),
                "client_maxconn=" + maxConn,
                "logdir=" + dir,
                "[proxy]",
                "routesfile=routes",
                "[handler]",
                "# unlimited (the shipped 2500/s would pace a million deliveries over 400 s)",
                "message_rate=-1",
                "message_hwm=-1",
                // e.g. -Dmillion.handler=history_size=10;wildcard_channels=true: features to measure on
                String.join("\n", System.getProperty("million.handler", "").split(";")),
                "");
        Files.writeString(dir.resolve("pushpin.conf"), conf);
        Files.writeString(dir.resolve("routes"), "* " + ORIGIN + "\n");
        PushpinServer server = PushpinServer.start(ConfigLoader.load(
                new StartOptions(dir.resolve("pushpin.conf"), null, null, false, null, null, List.of())));
        LocalAddress address = server.listenInJvm("pushpin-million");
        return new InJvmPushpin(dir, server, originGroup, address);
    }

    LocalAddress address() {
        return address;
    }

    /** The origin's own in-JVM address (clients connected there bypass the server: calibration). */
    static LocalAddress originAddress() {
        return new LocalAddress(ORIGIN);
    }

    PushpinServer server() {
        return server;
    }

    /** One {@code http-stream} item {@code data: <text>} per room, parsed as the control API would. */
    static List<PublishItem> onePerRoom(int rooms, String text) throws Exception {
        return onePerRoom(rooms, text, false);
    }

    /** The same, or with {@code websocket} a {@code ws-message} item with content {@code data: <text>}. */
    static List<PublishItem> onePerRoom(int rooms, String text, boolean websocket) throws Exception {
        StringBuilder sb = new StringBuilder("{\"items\": [");
        for (int r = 0; r < rooms; r++) {
            sb.append(r == 0 ? "" : ", ").append("{\"channel\": \"room-").append(r).append("\", \"formats\": ")
                    .append(websocket ? "{\"ws-message\": {\"content\": \"data: " : "{\"http-stream\": {\"content\": \"data: ")
                    .append(text).append(websocket ? "\"}}}" : "\\n\\n\"}}}");
        }
        return PublishParser.parseRequest(sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        server.close();
        originGroup.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
