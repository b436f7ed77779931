package org.pushpin.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} (Debian's) of a test class, on a free loopback port, without persistence; it can be
 * stopped and started again on the same port (a Redis restart). Missing redis-server skips the class, or fails it
 * with {@code -Dpushpin.it.realClients=required} (CI).
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
    private static final String BINARY = "/usr/bin/redis-server";

    private final int port = PushpinServerExtension.freeLocalPort();
    private Process process;
    private Path dir;

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        boolean present = Files.isExecutable(Path.of(BINARY));
        if (!present && "required".equals(System.getProperty("pushpin.it.realClients"))) {
            throw new AssertionError("real clients are required here but " + BINARY + " is missing "
                    + "(apt-get install redis-server)");
        }
        assumeTrue(present, "skipped: " + BINARY + " missing (apt-get install redis-server)");
        dir = Files.createTempDirectory("pushpin-redis-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts it (again) and waits until it answers PING. */
    public void start() throws Exception {
        process = new ProcessBuilder(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"+PONG".equals(command("PING"))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start: " + Files.readString(
                        dir.resolve("redis.log")));
            }
            Thread.onSpinWait();
            Thread.sleep(20); // polling a process that is starting: nothing to wait on but its port
        }
    }

    /** Kills it (no shutdown save) and waits until it is gone. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** {@code PUBSUB NUMSUB channel}: how many connections subscribe to it (-1 when Redis cannot be asked). */
    public long numsub(String channel) {
        List<String> lines = reply("PUBSUB NUMSUB " + channel, 4);
        return lines.size() == 4 && lines.get(3).startsWith(":") ? Long.parseLong(lines.get(3).substring(1)) : -1;
    }

    /** One inline command's first reply line ({@code +PONG}, {@code :3}, ...), or null when it cannot connect. */
    public String command(String inline) {
        List<String> lines = reply(inline, 1);
        return lines.isEmpty() ? null : lines.get(0);
    }

    /** The first {@code n} lines of an inline command's reply (fewer when it cannot connect or the reply ends). */
    private List<String> reply(String inline, int n) {
        List<String> out = new java.util.ArrayList<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream request = s.getOutputStream();
            request.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.flush();
            InputStream in = s.getInputStream();
            while (out.size() < n) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != -1 && c != '\n') {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
                if (c == -1) {
                    break;
                }
                out.add(line.toString());
            }
        } catch (IOException e) {
            // not reachable: what was read so far
        }
        return out;
    }
}
