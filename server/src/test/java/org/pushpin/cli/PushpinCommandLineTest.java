package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.config.StartOptions;

class PushpinCommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private PushpinCommandLine.Parsed parse(String... args) {
        return PushpinCommandLine.parse(args, new PrintWriter(out), new PrintWriter(err));
    }

    private StartOptions options(String... args) {
        PushpinCommandLine.Parsed p = parse(args);
        assertThat(err.toString()).isEmpty();
        assertThat(p.shouldStart()).isTrue();
        assertThat(p.exitCode()).isZero();
        return p.options();
    }

    @Test
    void noArgumentsMeansNothingGiven() {
        assertThat(options()).isEqualTo(StartOptions.none());
    }

    @Test
    void everyFlagAtOnce() {
        StartOptions o = options("--config", "/etc/pushpin/pushpin.conf", "--logfile", "/var/log/p.log",
                "--loglevel", "1,proxy:3", "-m", "--port", "127.0.0.1:8000", "--id", "2",
                "--route", "* localhost:80", "--route", "example.com test");
        assertThat(o).isEqualTo(new StartOptions(Path.of("/etc/pushpin/pushpin.conf"), Path.of("/var/log/p.log"),
                "1,proxy:3", true, "127.0.0.1:8000", 2, List.of("* localhost:80", "example.com test")));
    }

    /** Each flag alone, in each spelling Qt's parser accepts; "field" says which StartOptions part it sets. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "--config a.conf          ¦ config   ¦ a.conf",
        "--config=a.conf          ¦ config   ¦ a.conf",
        "-config a.conf           ¦ config   ¦ a.conf",
        "-config=a.conf           ¦ config   ¦ a.conf",
        "--logfile x.log          ¦ logfile  ¦ x.log",
        "-logfile=x.log           ¦ logfile  ¦ x.log",
        "--loglevel 3             ¦ loglevel ¦ 3",
        "--loglevel=proxy:3       ¦ loglevel ¦ proxy:3",
        "--verbose                ¦ loglevel ¦ 3",
        "-verbose                 ¦ loglevel ¦ 3",
        "--loglevel 1 --verbose   ¦ loglevel ¦ 3",
        "--verbose --loglevel 1   ¦ loglevel ¦ 3",
        "-m                       ¦ merge    ¦ true",
        "--merge-output           ¦ merge    ¦ true",
        "-merge-output            ¦ merge    ¦ true",
        "--port 8000              ¦ port     ¦ 8000",
        "--port=[::1]:8000        ¦ port     ¦ [::1]:8000",
        "-port 0.0.0.0:8000       ¦ port     ¦ 0.0.0.0:8000",
        "--id 0                   ¦ id       ¦ 0",
        "--id=12                  ¦ id       ¦ 12",
        "-id 3                    ¦ id       ¦ 3",
        "--route x                ¦ route    ¦ x",
        "--config a --config b    ¦ config   ¦ b",
        "--port 1 --port 2        ¦ port     ¦ 2",
        "stray --id 4 words       ¦ id       ¦ 4",
    })
    void eachFlag(String args, String field, String expected) {
        StartOptions o = options(args.split(" "));
        Object actual = switch (field) {
            case "config" -> o.config().toString();
            case "logfile" -> o.logFile().toString();
            case "loglevel" -> o.logLevel();
            case "merge" -> String.valueOf(o.mergeOutput());
            case "port" -> o.port();
            case "id" -> String.valueOf(o.id());
            case "route" -> String.join("|", o.routes());
            default -> throw new IllegalArgumentException(field);
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void routeKeepsSpacesAndOrder() {
        assertThat(options("--route", "*,id=a localhost:80,over_http", "--route=b.example test").routes())
                .containsExactly("*,id=a localhost:80,over_http", "b.example test");
    }

    @Test
    void routeStartingWithAtIsNotAnArgumentFile() {
        assertThat(options("--route", "@nofile").routes()).containsExactly("@nofile");
    }

    @Test
    void emptyConfigIsNotGiven() {
        assertThat(options("--config=").config()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-v", "-version"})
    void versionPrintsWhatPushpinPrints(String flag) {
        PushpinCommandLine.Parsed p = parse(flag);
        assertThat(p.shouldStart()).isFalse();
        assertThat(p.exitCode()).isZero();
        // the first line is Pushpin's (what version checks read), ours follows: the pom's, filtered in by Maven
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2).first().isEqualTo("pushpin 1.36.0");
        assertThat(lines.get(1)).matches("pushpin-java \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "-help"})
    void helpListsEveryOption(String flag) {
        PushpinCommandLine.Parsed p = parse(flag);
        assertThat(p.shouldStart()).isFalse();
        assertThat(p.exitCode()).isZero();
        assertThat(out.toString()).contains("Usage: pushpin", "Reverse proxy for realtime web services.",
                "--config", "--logfile", "--loglevel", "--verbose", "-m, --merge-output", "--port", "--id",
                "--route", "-h, --help", "-v, --version");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "--bogus                 ¦ Unknown option: '--bogus'",
        "-x                      ¦ Unknown option: '-x'",
        "--config                ¦ Missing required parameter for option '--config'",
        "--id abc                ¦ --id: id must be greater than or equal to 0",
        "--id -1                 ¦ --id: id must be greater than or equal to 0",
        "--port abc              ¦ --port: invalid port \"abc\"",
        "--port 70000            ¦ --port: invalid port \"70000\"",
        "--port ::1:80           ¦ --port: invalid listen address",
        "--loglevel x            ¦ --loglevel: log level must be greater than or equal to 0",
        "--loglevel 2,           ¦ --loglevel: log level component cannot be empty",
        "--loglevel proxy:-2     ¦ --loglevel: log level for service proxy must be",
    })
    void badArgumentsExitWithOneAndAMessage(String args, String message) {
        PushpinCommandLine.Parsed p = parse(args.split(" "));
        assertThat(p.shouldStart()).isFalse();
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: " + message).contains("Usage: pushpin");
        assertThat(out.toString()).isEmpty();
    }
}
