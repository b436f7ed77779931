package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pushpin.config.HandlerConfig;
import org.pushpin.ingest.ControlApiServer;
import org.pushpin.ingest.RecordingPublisher;
import org.pushpin.message.Action;
import org.pushpin.message.PublishItem;
import org.pushpin.transport.Transport;

/** {@code pushpin-publish}: what it sends (byte for byte as 1.36's tool), its errors, interop both ways. */
@Timeout(60)
class PublishCommandTest {
    @TempDir
    static Path dir;
    static EventLoopGroup group;
    static RecordingPublisher publisher;
    static ControlApiServer server;

    @BeforeAll
    static void start() throws Exception {
        group = Transport.best().newGroup(1, new DefaultThreadFactory("publish-cli-test", true));
        publisher = new RecordingPublisher();
        server = ControlApiServer.start(group, Transport.best(), new HandlerConfig("", List.of(), false,
                "127.0.0.1", 0, 10_000, 1_000_000, "", "", -1, -1, -1, 5000, 0, 20, 60, 0, 10, "", null, "", false),
                publisher);
        Files.write(dir.resolve("text.txt"), "file\"data".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("bin.dat"), new byte[] {'a', (byte) 0xff, 'b', '\n'});
    }

    @AfterAll
    static void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String gripUrl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PublishCommand.run(args, new PrintWriter(out), new PrintWriter(err), gripUrl);
        return new Run(code, out.toString(), err.toString());
    }

    static String ourSpec() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    /** Arguments and the body Pushpin 1.36's tool sent for them (publish/reference-cli.json). */
    record Reference(List<String> args, String body) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    static List<Reference> references() throws Exception {
        try (InputStream in = PublishCommandTest.class.getResourceAsStream("/publish/reference-cli.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<List<Reference>>() { });
        }
    }

    @ParameterizedTest
    @MethodSource("references")
    void sendsWhatTheReferenceToolSends(Reference r) throws Exception {
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n")) {
            List<String> args = new ArrayList<>(List.of("--spec", "http://127.0.0.1:" + capture.port()));
            for (String a : r.args()) {
                args.add(a.replace("{FILE_TEXT}", dir.resolve("text.txt").toString())
                        .replace("{FILE_BIN}", dir.resolve("bin.dat").toString()));
            }
            Run run = run(null, args.toArray(String[]::new));
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).isEqualTo("Published" + System.lineSeparator());
            assertThat(run.code()).isZero();
            CaptureServer.Captured req = capture.request();
            assertThat(req.head()).startsWith("POST /publish/ HTTP/1.1\r\n")
                    .contains("\r\nContent-Type: application/json\r\n");
            assertThat(req.body()).isEqualTo(r.body());
        }
    }

    @Test
    void specPathPrefixAndGripUrl() throws Exception {
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n")) {
            assertThat(run("http://127.0.0.1:" + capture.port() + "/prefix", "c", "x").code()).isZero();
            assertThat(capture.request().head()).startsWith("POST /prefix/publish/ HTTP/1.1\r\n");
        }
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n")) {
            assertThat(run("http://127.0.0.1:1", "--spec", "http://127.0.0.1:" + capture.port() + "/p/", "c", "x")
                    .code()).isZero();
            assertThat(capture.request().head()).startsWith("POST /p//publish/ HTTP/1.1\r\n");
        }
    }

    @Test
    void nonOkAnswerIsPrintedAndFails() throws Exception {
        try (CaptureServer capture = new CaptureServer(500, "Oops", "  it broke \n")) {
            Run r = run(null, "--spec", "http://127.0.0.1:" + capture.port(), "c", "x");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).isEqualTo("Error: it broke");
        }
        Run notFound = run(ourSpec() + "/nope", "c", "x");
        assertThat(notFound.code()).isEqualTo(1);
        assertThat(notFound.err().strip()).isEqualTo("Error: Not Found");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "c x --code abc|Error: failed to parse code: invalid digit found in string",
        "c x --code 70000|Error: failed to parse code: number too large to fit in target type",
        "c x --code 1000|Error: code must be an integer between 0 and 999",
        "c|Error: must specify content",
        "c x -H nocolon|Error: header must be in the form \"name: value\"",
        "c x -M novalue|Error: meta must be in the form \"name=value\"",
        "c {} --patch|Error: patch content must be a JSON array",
        "c @/nonexistent/file|Error: can't read file /nonexistent/file: No such file or directory (os error 2)",
        "c x --spec http://127.0.0.1:1|Error: Connection refused (os error 111)",
        "c x --spec http:/x|Error: invalid URL",
        "c x --spec http://h:abc|Error: invalid URL",
        "c x -u a:b --spec http://127.0.0.1:1|Error: Authentication requires https",
    })
    void errorsLikeTheReferenceTool(String args, String message) {
        Run r = run(null, args.split(" "));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo(message);
    }

    @Test
    void codeCheckedOnlyForSendAndEmptyCodeRejected() {
        assertThat(run(null, "c", "x", "--code", "").err().strip())
                .isEqualTo("Error: failed to parse code: cannot parse integer from empty string");
        assertThat(run(ourSpec(), "c", "--hint", "--code", "1000").code()).isZero();
    }

    @Test
    void ipcSpecsAreRefused() {
        // JeroMQ cannot reach a libzmq Unix socket; tcp:// is tested with a libzmq peer in it/zmq
        Run r = run("ipc:///tmp/x", "c", "x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ipc:// specs are not supported");
    }

    @Test
    void usageErrorsVersionAndHelp() {
        Run missing = run(null);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: ").contains("<channel>");
        List<String> version = run(null, "--version").out().lines().toList();
        assertThat(version).hasSize(2).first().isEqualTo("pushpin-publish 1.36.0");
        assertThat(version.get(1)).matches("pushpin-java \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        Run help = run(null, "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--no-eol", "--spec", "--patch");
    }

    @Test
    void publishesToOurControlApi() throws Exception {
        publisher.clear(); // leftovers of earlier tests
        Run r = run(ourSpec(), "news", "hello", "--id", "2", "--prev-id", "1", "--sender", "bob", "-M", "k=v",
                "-H", "X-A: 1", "--code", "201", "--no-seq");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        PublishItem item = publisher.next().get(0);
        assertThat(item.channel()).isEqualTo("news");
        assertThat(item.id()).isEqualTo("2");
        assertThat(item.prevId()).isEqualTo("1");
        assertThat(item.noSeq()).isTrue();
        assertThat(item.meta()).isEqualTo(Map.of("sender", "bob", "k", "v"));
        assertThat(item.httpResponse().code()).isEqualTo(201);
        assertThat(item.httpResponse().headers()).containsExactly(Map.entry("X-A", "1"));
        assertThat(new String(item.httpResponse().body(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(new String(item.httpStream().content(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(new String(item.wsMessage().content(), StandardCharsets.UTF_8)).isEqualTo("hello");

        assertThat(run(ourSpec(), "news", "--close").code()).isZero();
        PublishItem close = publisher.next().get(0);
        assertThat(close.httpResponse()).isNull();
        assertThat(close.httpStream().action()).isEqualTo(Action.CLOSE);
        assertThat(close.wsMessage().action()).isEqualTo(Action.CLOSE);
    }

    @Test
    void referenceToolPublishesToOurControlApi() throws Exception {
        Path tool = Path.of("/usr/bin/pushpin-publish");
        assumeTrue(Files.isExecutable(tool), "Pushpin's pushpin-publish is not installed");
        publisher.clear(); // leftovers of earlier tests
        Process p = new ProcessBuilder(tool.toString(), "--spec", ourSpec(), "room", "hi there", "--id", "7",
                "-H", "X-Y: z").redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Published\n");
        assertThat(p.exitValue()).isZero();
        PublishItem item = publisher.next().get(0);
        assertThat(item.channel()).isEqualTo("room");
        assertThat(item.id()).isEqualTo("7");
        assertThat(new String(item.httpStream().content(), StandardCharsets.UTF_8)).isEqualTo("hi there\n");
        assertThat(item.httpResponse().headers()).containsExactly(Map.entry("X-Y", "z"));

        Process bad = new ProcessBuilder(tool.toString(), "--spec", ourSpec() + "/x", "room", "hi")
                .redirectErrorStream(true).start();
        assertThat(bad.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("Error: Not Found\n");
        assertThat(bad.exitValue()).isEqualTo(1);
    }
}
