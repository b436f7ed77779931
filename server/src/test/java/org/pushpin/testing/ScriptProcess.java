package org.pushpin.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client or origin nobody here wrote (npm {@code ws}, {@code @fanoutio/grip}, Debian's {@code python3-websockets}),
 * run as a child process by a small script in {@code src/test/node} or {@code src/test/python}. The script gets its
 * arguments on the command line and commands as JSON lines on stdin, and reports what it observes as JSON lines on
 * stdout ({@code {"ev": "open", ...}}); stderr is kept for failure messages.
 *
 * <p>When node, python3-websockets or the npm packages ({@code npm ci} in {@code src/test/node}) are missing, the
 * test is skipped with a message saying what to install; {@code -Dpushpin.it.realClients=required} (set by
 * {@code .ci/run}) turns that into a failure, so CI cannot skip them silently.
 */
public final class ScriptProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode EOF = JSON.createObjectNode().put("ev", "<exited>");
    /** Debian's interpreter: python3 on PATH may be a pyenv shim without the Debian packages. */
    static final String PYTHON = System.getProperty("pushpin.it.python", "/usr/bin/python3");
    static final String NODE = System.getProperty("pushpin.it.node", "node");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<JsonNode> seen = new ArrayList<>();

    private ScriptProcess(String name, List<String> cmd, Path dir) throws IOException {
        this(name, cmd, dir, Map.of());
    }

    private ScriptProcess(String name, List<String> cmd, Path dir, Map<String, String> env) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        this.process = pb.start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread out = new Thread(this::readEvents, "script-out " + name);
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::readStderr, "script-err " + name);
        err.setDaemon(true);
        err.start();
    }

    /** The folder with package.json and the node scripts. */
    public static Path nodeDir() {
        return sourceDir("node");
    }

    public static Path pythonDir() {
        return sourceDir("python");
    }

    private static Path sourceDir(String name) {
        // surefire runs in the module directory; an IDE may run in the repository root
        Path p = Path.of("src/test", name);
        return Files.isDirectory(p) ? p.toAbsolutePath() : Path.of("server/src/test", name).toAbsolutePath();
    }

    /** Runs {@code node <script> <args>} in {@link #nodeDir()}; skips the test if node or a package is missing. */
    public static ScriptProcess node(String script, List<String> packages, String... args) throws IOException {
        require(works(NODE, "--version"), "node is not installed (apt-get install nodejs npm)");
        for (String pkg : packages) {
            require(Files.isDirectory(nodeDir().resolve("node_modules").resolve(pkg)),
                    "npm package " + pkg + " is missing: run npm ci in " + nodeDir());
        }
        List<String> cmd = new ArrayList<>(List.of(NODE, script));
        cmd.addAll(List.of(args));
        return new ScriptProcess(script, cmd, nodeDir());
    }

    /**
     * Runs {@code node <script>} of an application in {@code examples/<example>} (its own package.json, installed
     * with {@code npm ci} there), with {@code env} added to its environment. Its stdout need not be JSON lines:
     * other lines arrive as {@code <not json>} events with the text in {@code line}.
     */
    public static ScriptProcess nodeExample(String example, String script, Map<String, String> env)
            throws IOException {
        require(works(NODE, "--version"), "node is not installed (apt-get install nodejs npm)");
        Path dir = Path.of("../examples", example);
        dir = (Files.isDirectory(dir) ? dir : Path.of("examples", example)).toAbsolutePath().normalize();
        require(Files.isDirectory(dir.resolve("node_modules")),
                "the npm packages of examples/" + example + " are missing: run npm ci in " + dir);
        return new ScriptProcess(example + "/" + script, List.of(NODE, script), dir, env);
    }

    /** Runs {@code /usr/bin/python3 <script> <args>} in {@link #pythonDir()}; skips if python3-websockets is missing. */
    public static ScriptProcess python(String script, String... args) throws IOException {
        require(works(PYTHON, "-c", "import websockets"),
                PYTHON + " cannot import websockets (apt-get install python3-websockets)");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-u", script));
        cmd.addAll(List.of(args));
        return new ScriptProcess(script, cmd, pythonDir());
    }

    /** Runs {@code /usr/bin/python3 <script> <args>} in {@link #pythonDir()}; skips if python3-zmq is missing. */
    public static ScriptProcess pythonZmq(String script, String... args) throws IOException {
        require(works(PYTHON, "-c", "import zmq"), PYTHON + " cannot import zmq (apt-get install python3-zmq)");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-u", script));
        cmd.addAll(List.of(args));
        return new ScriptProcess(script, cmd, pythonDir());
    }

    private static void require(boolean ok, String what) {
        if (!ok && "required".equals(System.getProperty("pushpin.it.realClients"))) {
            throw new AssertionError("real clients are required here but " + what);
        }
        assumeTrue(ok, () -> "skipped: " + what);
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void readEvents() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("ev", "<not json>").put("line", line));
                }
            }
        } catch (IOException e) {
            // the process went away; EOF below says so
        }
        events.add(EOF);
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderr.append(line).append('\n');
            }
        } catch (IOException e) {
            // gone
        }
    }

    /** Sends one command: a JSON object line, e.g. {@code send(Map.of("op", "text", "data", "hi"))}. */
    public void send(Map<String, ?> command) throws IOException {
        stdin.write(JSON.writeValueAsString(command) + "\n");
        stdin.flush();
    }

    /** The next event, whatever it is; fails after the limit. */
    public JsonNode next(Duration limit) throws InterruptedException {
        JsonNode e = events.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (e == null) {
            throw new AssertionError(name + ": no event within " + limit + describe());
        }
        seen.add(e);
        return e;
    }

    /** The next event; it must be of this kind ({@code ev}). */
    public JsonNode expect(String ev) throws InterruptedException {
        JsonNode e = next(Duration.ofSeconds(10));
        if (!ev.equals(e.path("ev").asText())) {
            throw new AssertionError(name + ": expected " + ev + " but got " + e + describe());
        }
        return e;
    }

    /** Skips events until one matches (e.g. after a handshake's informational lines). */
    public JsonNode await(Predicate<JsonNode> matching, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError(name + ": no matching event within " + limit + describe());
            }
            seen.add(e);
            if (matching.test(e)) {
                return e;
            }
            if (e == EOF) {
                throw new AssertionError(name + ": exited before a matching event" + describe());
            }
        }
    }

    /** Waits for the script to exit on its own; returns its status. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError(name + ": still running after " + limit + describe());
        }
        return process.exitValue();
    }

    private String describe() {
        return "\n  events so far: " + seen + "\n  stderr: " + stderr;
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
