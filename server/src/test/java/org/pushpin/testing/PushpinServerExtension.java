package org.pushpin.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.PushpinConfig;
import org.pushpin.config.StartOptions;
import org.pushpin.app.PushpinServer;

/**
 * Starts a real pushpin-java server for a test: writes {@code pushpin.conf} and {@code routes} into a fresh
 * directory, loads it the way the command line does, starts {@link PushpinServer} and closes it afterwards.
 *
 * <p>Use it as a class-wide extension ({@code @RegisterExtension static final PushpinServerExtension pushpin =
 * PushpinServerExtension.builder()...build();}) or for one test with try-with-resources
 * ({@code try (var p = PushpinServerExtension.builder()...start()) {...}}).
 *
 * <p>Three ways to run it:
 * <ul>
 *   <li>in this JVM (default), on ephemeral ports ({@code http_port=127.0.0.1:0});</li>
 *   <li>in a child JVM ({@link Builder#inChildJvm}), through {@code org.pushpin.cli.PushpinMain --config}, on ports
 *       picked free beforehand; used to bound the server's heap;</li>
 *   <li>against the reference Pushpin 1.36 ({@code -Dpushpin.it.server=reference}, binary from
 *       {@code -Dpushpin.it.reference.bin}, default {@code pushpin}) to check that a test asserts what the real
 *       Pushpin does. Not for CI.</li>
 * </ul>
 */
public final class PushpinServerExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public enum Mode { IN_PROCESS, CHILD_JVM, REFERENCE }

    static {
        LeakCheck.install();
    }

    private final Builder spec;
    private final Mode mode;
    private Path dir;
    private PushpinServer server;
    private Process process;
    private List<InetSocketAddress> http = List.of();
    private List<InetSocketAddress> https = List.of();
    private List<Integer> httpsPortsChosen = List.of();
    private int portOffset;
    private int controlPortChosen = -1;

    private PushpinServerExtension(Builder spec) {
        this.spec = spec;
        if ("reference".equals(System.getProperty("pushpin.it.server"))) {
            this.mode = Mode.REFERENCE;
        } else {
            this.mode = spec.childJvmArgs != null ? Mode.CHILD_JVM : Mode.IN_PROCESS;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether tests run against the reference Pushpin rather than pushpin-java. */
    public static boolean againstReference() {
        return "reference".equals(System.getProperty("pushpin.it.server"));
    }

    // ---------------------------------------------------------------- running server

    public Mode mode() {
        return mode;
    }

    /** The server itself (in-process mode only; null otherwise), e.g. for {@link PushpinServer#listenInJvm}. */
    public PushpinServer server() {
        return server;
    }

    /** The server's process (child JVM or reference mode), e.g. to pause it; empty in-process. */
    public java.util.Optional<ProcessHandle> process() {
        return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
    }

    /** The first plain HTTP port. */
    public int httpPort() {
        return http.get(0).getPort();
    }

    public List<InetSocketAddress> httpAddresses() {
        return http;
    }

    public List<InetSocketAddress> httpsAddresses() {
        return https;
    }

    public int httpsPort() {
        return https.get(0).getPort();
    }

    /**
     * The HTTP control API port ({@code push_in_http_port} after the port offset), for a server built with
     * {@link Builder#controlApi()}.
     */
    public int controlPort() {
        InetSocketAddress a = controlAddress();
        if (a == null) {
            throw new IllegalStateException("no control API: build the server with controlApi()");
        }
        return a.getPort();
    }

    /** The HTTP control API's address, or null when the server has none. */
    public InetSocketAddress controlAddress() {
        if (server != null) {
            return server.controlAddress();
        }
        return controlPortChosen > 0 ? new InetSocketAddress("127.0.0.1", controlPortChosen) : null;
    }

    /** {@code http://127.0.0.1:CONTROL_PORT<path>}. */
    public String controlUrl(String path) {
        return "http://127.0.0.1:" + controlPort() + path;
    }

    /** A publisher to this server's control API. */
    public Publish publisher() {
        return Publish.to(controlPort());
    }


    /** {@code http://127.0.0.1:PORT<path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    public Path configDir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("pushpin.conf");
    }

    public Path routesFile() {
        return dir.resolve("routes");
    }

    /** A {@code local_ports} socket path (relative names given to the builder are resolved here). */
    public Path localPort(int i) {
        return dir.resolve(spec.localPorts.get(i));
    }

    /** Rewrites the routes file in place (for reload tests). */
    public void writeRoutes(String... lines) throws IOException {
        Files.writeString(routesFile(), String.join("\n", lines) + "\n");
    }

    /** The server's output (child JVM and reference modes), for failure messages. */
    public String log() {
        try {
            Path log = dir.resolve("pushpin.log");
            StringBuilder out = new StringBuilder(
                    Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "");
            // a child JVM without --merge-output writes each service's lines to its file in logdir, as Pushpin
            for (String service : List.of("condure.log", "pushpin-proxy.log", "pushpin-handler.log")) {
                Path file = dir.resolve("log").resolve(service);
                if (mode == Mode.CHILD_JVM && Files.exists(file)) {
                    out.append("--- ").append(service).append('\n')
                            .append(Files.readString(file, StandardCharsets.ISO_8859_1));
                }
            }
            return out.toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private PushpinServerExtension start() throws Exception {
        dir = Files.createTempDirectory("pushpin-it-");
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        boolean external = mode != Mode.IN_PROCESS;
        List<String> httpSpecs = new ArrayList<>();
        for (String s : spec.httpPorts) {
            httpSpecs.add(external ? withFreePort(s) : s);
        }
        List<String> httpsSpecs = new ArrayList<>();
        List<Integer> chosen = new ArrayList<>();
        for (String s : spec.httpsPorts) {
            String withPort = withFreePort(s);
            httpsSpecs.add(withPort);
            chosen.add(portOf(withPort));
        }
        httpsPortsChosen = chosen;
        portOffset = 10 * ThreadLocalRandom.current().nextInt(100, 3000);
        if (spec.controlApi) {
            Map<String, String> handler = spec.conf.computeIfAbsent("handler", k -> new LinkedHashMap<>());
            handler.putIfAbsent("push_in_http_addr", "127.0.0.1");
            if (external) {
                // the port in the file gets the port offset: pick a free port and subtract it
                controlPortChosen = freePort("127.0.0.1");
                handler.put("push_in_http_port", Integer.toString(controlPortChosen - portOffset));
            } else {
                handler.putIfAbsent("push_in_http_port", "0");
            }
        }
        Path certs = dir.resolve("runner").resolve("certs");
        Files.createDirectories(certs);
        for (Map.Entry<String, SelfSignedCert> e : spec.certs.entrySet()) {
            e.getValue().writeTo(certs, e.getKey());
        }
        if (spec.defaultCert != null) {
            for (int port : chosen) {
                spec.defaultCert.writeTo(certs, "default_" + port);
            }
        }
        Files.writeString(configFile(), conf(httpSpecs, httpsSpecs));
        Files.writeString(routesFile(), String.join("\n", spec.routes) + "\n");
        switch (mode) {
            case IN_PROCESS -> startInProcess();
            case CHILD_JVM -> startChild(httpSpecs, httpsSpecs);
            case REFERENCE -> startReference(httpSpecs, httpsSpecs);
        }
        return this;
    }

    private void startInProcess() throws Exception {
        PushpinConfig config = ConfigLoader.load(
                new StartOptions(configFile(), null, null, false, null, null, List.copyOf(spec.routeOptions)));
        server = PushpinServer.start(config);
        http = List.copyOf(server.httpAddresses());
        https = List.copyOf(server.httpsAddresses());
    }

    private void startChild(List<String> httpSpecs, List<String> httpsSpecs) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(spec.childJvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("org.pushpin.cli.PushpinMain");
        cmd.add("--config");
        cmd.add(configFile().toString());
        for (String r : spec.routeOptions) {
            cmd.add("--route");
            cmd.add(r);
        }
        launch(cmd, httpSpecs, httpsSpecs, Duration.ofSeconds(30));
    }

    private void startReference(List<String> httpSpecs, List<String> httpsSpecs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("pushpin.it.reference.bin", "pushpin"),
                "--config", configFile().toString(), "--merge-output"));
        for (String r : spec.routeOptions) {
            cmd.add("--route");
            cmd.add(r);
        }
        launch(cmd, httpSpecs, httpsSpecs, Duration.ofSeconds(15));
        // The proxy and zurl come up a little after the listener; ask the proxy itself.
        Await.until(Duration.ofSeconds(10), () -> {
            // an early answer can get lost between the reference's processes: retry quickly
            try (RawClient c = RawClient.connect(http.get(0)).timeout(Duration.ofSeconds(1))) {
                return c.exchange(Req.get("/").header("Pushpin-Check", "1")).status() == 200;
            }
        }, () -> "reference pushpin did not answer:\n" + log());
        Thread.sleep(Long.getLong("pushpin.it.reference.settleMs", 300));
    }

    private void launch(List<String> cmd, List<String> httpSpecs, List<String> httpsSpecs, Duration wait)
            throws Exception {
        process = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushpin.log").toFile())
                .start();
        http = httpSpecs.stream().map(PushpinServerExtension::address).toList();
        https = httpsSpecs.stream().map(PushpinServerExtension::address).toList();
        InetSocketAddress probe = http.isEmpty() ? https.get(0) : http.get(0);
        Await.until(wait, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(probe, 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, () -> "server did not listen on " + probe + ":\n" + log());
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
            if (process != null) {
                stopProcess();
                String log = log();
                if (log.contains("LEAK:")) {
                    throw new AssertionError("the server reported a Netty leak:\n" + log);
                }
            }
        } finally {
            deleteDir();
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void deleteDir() {
        if (dir == null || Boolean.getBoolean("pushpin.it.keepDirs")) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    // ---------------------------------------------------------------- configuration

    private String conf(List<String> httpSpecs, List<String> httpsSpecs) {
        Map<String, Map<String, String>> c = new LinkedHashMap<>();
        for (String s : List.of("global", "runner", "proxy", "handler")) {
            c.put(s, new LinkedHashMap<>());
        }
        c.get("global").put("rundir", dir.resolve("run").toString());
        c.get("global").put("port_offset", Integer.toString(portOffset));
        c.get("runner").put("http_port", String.join(",", httpSpecs));
        if (!httpsSpecs.isEmpty()) {
            c.get("runner").put("https_ports", String.join(",", httpsSpecs));
        }
        if (!spec.localPorts.isEmpty()) {
            c.get("runner").put("local_ports", String.join(",",
                    spec.localPorts.stream().map(p -> dir.resolve(p).toString()).toList()));
        }
        c.get("runner").put("logdir", dir.resolve("log").toString());
        c.get("proxy").put("routesfile", "routes");
        if (mode == Mode.REFERENCE) {
            c.get("global").put("include", "{libdir}/internal.conf");
            c.get("runner").put("services", "condure,zurl,pushpin-proxy,pushpin-handler");
            c.get("proxy").put("zurl_out_specs", "ipc://{rundir}/{ipc_prefix}zurl-in");
            c.get("proxy").put("zurl_out_stream_specs", "ipc://{rundir}/{ipc_prefix}zurl-in-stream");
            c.get("proxy").put("zurl_in_specs", "ipc://{rundir}/{ipc_prefix}zurl-out");
            c.get("proxy").put("updates_check", "off");
        }
        spec.conf.forEach((section, keys) -> c.computeIfAbsent(section, k -> new LinkedHashMap<>()).putAll(keys));
        // tcp:// specs get the port offset added when read (as Pushpin does): write the port less the offset
        spec.tcpSpecs.forEach((key, ports) -> c.get("handler").put(key, String.join(",", ports.stream()
                .map(p -> "tcp://127.0.0.1:" + (p - portOffset)).toList())));
        StringBuilder sb = new StringBuilder("# written by PushpinServerExtension\n");
        c.forEach((section, keys) -> {
            sb.append('[').append(section).append("]\n");
            keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            sb.append('\n');
        });
        return sb.toString();
    }

    /** Replaces a {@code :0} (or bare {@code 0}) port with one that is free now. */
    private static String withFreePort(String spec) {
        if (spec.equals("0")) {
            return Integer.toString(freePort("127.0.0.1"));
        }
        if (spec.endsWith(":0")) {
            String host = spec.substring(0, spec.length() - 2);
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return host + ":" + freePort(bare);
        }
        return spec;
    }

    /** A TCP port free on 127.0.0.1 right now (for specs a test puts in the config). */
    public static int freeLocalPort() {
        return freePort("127.0.0.1");
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int portOf(String spec) {
        int colon = spec.lastIndexOf(':');
        return Integer.parseInt(colon >= 0 ? spec.substring(colon + 1) : spec);
    }

    private static InetSocketAddress address(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress("127.0.0.1", Integer.parseInt(spec));
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(spec.substring(colon + 1)));
    }

    /** The https ports picked before start, in order (for {@code default_<port>} certificate names). */
    public List<Integer> httpsPortsChosen() {
        return httpsPortsChosen;
    }

    // ---------------------------------------------------------------- builder

    public static final class Builder {
        private final Map<String, Map<String, String>> conf = new LinkedHashMap<>();
        private final List<String> routes = new ArrayList<>();
        private final List<String> routeOptions = new ArrayList<>();
        private List<String> httpPorts = List.of("127.0.0.1:0");
        private List<String> httpsPorts = List.of();
        private List<String> localPorts = List.of();
        private final Map<String, SelfSignedCert> certs = new LinkedHashMap<>();
        private SelfSignedCert defaultCert;
        private List<String> childJvmArgs;
        private boolean controlApi;
        private final Map<String, List<Integer>> tcpSpecs = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * {@code [handler] key=tcp://127.0.0.1:PORT,...} such that the server binds or connects exactly these
         * ports after adding its port offset.
         */
        public Builder handlerTcpSpec(String key, Integer... ports) {
            tcpSpecs.put(key, List.of(ports));
            return this;
        }

        public Builder handler(String key, String value) {
            return set("handler", key, value);
        }

        /**
         * Starts the HTTP control API ({@code push_in_http_addr=127.0.0.1}, {@code push_in_http_port=0} in process,
         * a port picked free beforehand otherwise); see {@link #controlPort()} and {@link #publisher()}.
         */
        public Builder controlApi() {
            controlApi = true;
            return this;
        }

        /** Sets {@code key=value} in {@code [section]} of pushpin.conf. */
        public Builder set(String section, String key, String value) {
            conf.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder proxy(String key, String value) {
            return set("proxy", key, value);
        }

        public Builder runner(String key, String value) {
            return set("runner", key, value);
        }

        /** Lines of the routes file. */
        public Builder routes(String... lines) {
            routes.addAll(List.of(lines));
            return this;
        }

        /** {@code --route} lines (they replace the routes file). */
        public Builder routeOption(String... lines) {
            routeOptions.addAll(List.of(lines));
            return this;
        }

        /** {@code http_port} entries; {@code :0} = any free port. Default {@code 127.0.0.1:0}. */
        public Builder httpPorts(String... specs) {
            httpPorts = List.of(specs);
            return this;
        }

        /** {@code https_ports} entries; {@code :0} is replaced by a port picked free before start. */
        public Builder httpsPorts(String... specs) {
            httpsPorts = List.of(specs);
            return this;
        }

        /** {@code local_ports} unix socket names, relative to the config directory. */
        public Builder localPorts(String... names) {
            localPorts = List.of(names);
            return this;
        }

        /** {@code runner/certs/<name>.crt} and {@code .key}, e.g. name {@code example.test} for SNI. */
        public Builder tlsCertificate(String name, SelfSignedCert cert) {
            certs.put(name, cert);
            return this;
        }

        /** {@code runner/certs/default_<port>.crt}/{@code .key} for every https port. */
        public Builder defaultTlsCertificate(SelfSignedCert cert) {
            defaultCert = cert;
            return this;
        }

        /** Runs the server as {@code java <jvmArgs> org.pushpin.cli.PushpinMain --config <file>}. */
        public Builder inChildJvm(String... jvmArgs) {
            childJvmArgs = List.of(jvmArgs);
            return this;
        }

        /** An extension that starts the server before all tests of the class and stops it after. */
        public PushpinServerExtension build() {
            return new PushpinServerExtension(this);
        }

        /** Starts a server now; close it when done. */
        public PushpinServerExtension start() throws Exception {
            PushpinServerExtension ext = new PushpinServerExtension(this);
            try {
                return ext.start();
            } catch (Exception | Error e) {
                ext.close();
                throw e;
            }
        }
    }
}
