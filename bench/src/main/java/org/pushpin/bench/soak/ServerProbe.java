package org.pushpin.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pushpin.bench.load.ProcessTree;

/**
 * What the soak reads from the server under test: its RSS and live heap ({@code jcmd GC.run}, then
 * {@code GC.heap_info}), live instances of per-connection classes ({@code jcmd GC.class_histogram}, which collects
 * first), its open connections ({@code GET /health} on the control API) and the leak reports in its log.
 */
final class ServerProbe {
    /** One memory sample: minutes into the steady state, clients held, server RSS and live heap. */
    record Sample(double minutes, int held, long rssKb, long heapKb) {
    }

    /** Live instances of the classes every connection has: pipelines, socket channels, hold objects. */
    record Counts(long pipelines, long sockets, long holds) {
    }

    private static final Pattern CONNECTIONS = Pattern.compile("\"connections\":(\\d+)");
    private final ProcessTree tree;
    private final int httpPort;
    private final int controlPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerProbe(long pid, int httpPort, int controlPort, Path log) {
        this.tree = new ProcessTree(pid);
        this.httpPort = httpPort;
        this.controlPort = controlPort;
        this.log = log;
    }

    Sample sample(double minutes, int held) throws IOException, InterruptedException {
        long heap = tree.liveHeapKb();
        return new Sample(minutes, held, tree.rssKb(), heap);
    }

    Counts counts() throws IOException, InterruptedException {
        long pipelines = 0;
        long sockets = 0;
        long holds = 0;
        for (String line : tree.jcmd("GC.class_histogram").split("\n")) {
            // "   1:   1000000   48000000  io.netty.channel.DefaultChannelPipeline (...)"
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            long n = Long.parseLong(f[1]);
            String c = f[3];
            if (c.equals("io.netty.channel.DefaultChannelPipeline")) {
                pipelines += n;
            } else if (c.equals("io.netty.channel.epoll.EpollSocketChannel")
                    || c.equals("io.netty.channel.socket.nio.NioSocketChannel")) {
                sockets += n;
            } else if (c.startsWith("org.pushpin.hold.")) {
                holds += n;
            }
        }
        return new Counts(pipelines, sockets, holds);
    }

    /** Client connections the server has open now, by its own count. */
    long connections() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + controlPort + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = CONNECTIONS.matcher(r.body());
        if (!m.find()) {
            throw new IOException("no connection count in /health: " + r.body());
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * {@code count} plain requests on one keep-alive connection: allocations make Netty's detector report the
     * leaks it found (it reports when it tracks a new buffer).
     */
    void exercise(int count) throws IOException {
        byte[] req = "GET /plain/0 HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", httpPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            for (int i = 0; i < count; i++) {
                out.write(req);
                String got = "";
                while (!got.endsWith("plain 0\n")) {  // the origin's body ends each answer
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new IOException("server closed during the plain requests");
                    }
                    got = got.length() > 4096 ? got.substring(got.length() - 16) : got;
                    got += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                }
            }
        }
    }

    /** Lines of the server's log that report a leak. */
    long leakReports() throws IOException {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("LEAK:")).count();
        }
    }
}
