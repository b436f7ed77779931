package org.pushpin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/pushpin} as an operator runs it: a server process ({@code org.pushpin.cli.PushpinMain}) on
 * {@code dir/pushpin.conf} and {@code dir/routes}, its standard output and error in {@code dir/stdout.txt}, for tests
 * of what only a whole process does (signals, log files). Rewrite the config with {@link #writeConf}, then
 * {@link #hangUp}.
 */
public final class PushpinProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path runnerLog;

    private PushpinProcess(Process process, Path dir, Path runnerLog) {
        this.process = process;
        this.dir = dir;
        this.runnerLog = runnerLog;
    }

    /**
     * Writes {@code conf} and the routes, starts the server with {@code args} after {@code --config} and returns once
     * its runner output (the {@code --logfile} among {@code args}, else standard output) says it started.
     */
    public static PushpinProcess start(Path dir, String conf, String routes, String... args) throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, conf);
        Files.writeString(dir.resolve("routes"), routes + "\n");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.pushpin.cli.PushpinMain", "--config", file.toString()));
        cmd.addAll(List.of(args));
        Path stdout = dir.resolve("stdout.txt");
        int logfile = cmd.indexOf("--logfile");
        Path runnerLog = logfile < 0 ? stdout : Path.of(cmd.get(logfile + 1));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(stdout.toFile()).start();
        PushpinProcess server = new PushpinProcess(p, dir, runnerLog);
        try {
            Await.until(Duration.ofSeconds(30), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("exited: " + read(stdout));
                }
                return read(runnerLog).contains("started");
            }, () -> "the server did not start: " + read(stdout));
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Replaces {@code pushpin.conf} (for a SIGHUP to read). */
    public void writeConf(String conf) throws IOException {
        Files.writeString(dir.resolve("pushpin.conf"), conf);
    }

    /** Sends SIGHUP. */
    public void hangUp() throws Exception {
        Process hup = new ProcessBuilder(List.of("kill", "-HUP", Long.toString(process.pid()))).start();
        if (hup.waitFor() != 0) {
            throw new IllegalStateException("kill -HUP failed");
        }
    }

    /** Where the runner's lines go: the {@code --logfile} given, else standard output. */
    public Path runnerLog() {
        return runnerLog;
    }

    /** Standard output and error. */
    public String stdout() {
        return read(dir.resolve("stdout.txt"));
    }

    /** A file's text, "" while it does not exist. */
    public static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
