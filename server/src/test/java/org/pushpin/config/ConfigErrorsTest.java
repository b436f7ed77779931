package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Files and command lines that cannot be used: every message names the file, line and key. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private static StartOptions opts(Path config) {
        return new StartOptions(config, null, null, false, null, null, List.of());
    }

    private static StartOptions withId(Path config, int id) {
        return new StartOptions(config, null, null, false, null, id, List.of());
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** Each malformed input must name the file, the line and the key (when there is one). */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '¦', quoteCharacter = '`', value = {
        "[runner]\\nhttp_port=7999\\noops                 ¦ :3: expected key=value",
        "[runner]\\nclient_maxconn=abc                    ¦ :2: [runner] client_maxconn: invalid integer \"abc\"",
        "[runner]\\nclient_maxconn=1,000                  ¦ :2: [runner] client_maxconn: expected an integer",
        "[runner]\\nclient_buffer_size=0                  ¦ :2: [runner] client_buffer_size: must be at least 1",
        "[runner]\\nhttp2_max_concurrent_streams=-1 ¦ :2: [runner] http2_max_concurrent_streams: must be at least 0",
        "[runner]\\nhttp2_max_concurrent_streams=x  ¦ :2: [runner] http2_max_concurrent_streams: invalid integer",
        "[runner]\\nheap_pressure_percent=10              ¦ :2: [runner] heap_pressure_percent: must be 0 (off) or 11",
        "[runner]\\nheap_pressure_percent=101             ¦ :2: [runner] heap_pressure_percent: must be 0 (off)",
        "[runner]\\n\\nhttp_port=abc                      ¦ :3: [runner] http_port: invalid port \"abc\"",
        "[runner]\\nhttp_port=7999,70000                  ¦ :2: [runner] http_port: invalid port \"70000\"",
        "[runner]\\nhttp_port=-1                          ¦ :2: [runner] http_port: invalid port \"-1\"",
        "[runner]\\nhttp_port=::1:80                      ¦ :2: [runner] http_port: invalid listen address",
        "[runner]\\nhttp_port=[::1]80                     ¦ :2: [runner] http_port: invalid listen address",
        "[runner]\\nhttp_port=127.0.0.1:                  ¦ :2: [runner] http_port: invalid port \"\"",
        "[runner]\\nhttps_ports=x:y                       ¦ :2: [runner] https_ports: invalid port \"y\"",
        "[runner]\\nhttp_port=\\nhttps_ports=             ¦ :2: [runner] http_port: no server ports configured",
        "[runner]\\nlog_level=2,                          ¦ :2: [runner] log_level: log level component cannot be empty",
        "[runner]\\nlog_level=x:-1                        ¦ :2: [runner] log_level: log level for service x",
        "[runner]\\nlog_level=:3                          ¦ :2: [runner] log_level: log level component name",
        "[global]\\nport_offset=ten                       ¦ :2: [global] port_offset: invalid integer \"ten\"",
        "[proxy]\\nsig_key=\"abc                          ¦ :2: [proxy] sig_key: unterminated quote",
        "[proxy]\\nx_forwarded_for=truncate:x             ¦ :2: [proxy] x_forwarded_for: invalid truncate count",
        "[proxy]\\nmax_open_requests=12abc                ¦ :2: [proxy] max_open_requests: invalid integer",
        "[proxy]\\nmax_open_requests=0                    ¦ :2: [proxy] max_open_requests: must be -1 (no limit) or at least 1, got 0",
        "[proxy]\\nmax_open_requests=-2                   ¦ :2: [proxy] max_open_requests: must be -1 (no limit) or at least 1, got -2",
        "[handler]\\npush_in_http_port=99999              ¦ :2: [handler] push_in_http_port: invalid port",
        "[handler]\\nmessage_rate=2.5                     ¦ :2: [handler] message_rate: invalid integer \"2.5\"",
        "[handler]\\nprometheus_port=127.0.0.1:x99         ¦ :2: [handler] prometheus_port: invalid port",
        "[handler]\\nprometheus_port=ipc://               ¦ :2: [handler] prometheus_port: ipc:// without a path",
        "[handler\\nmessage_rate=1                        ¦ :1: section header without ']'",
    })
    void malformedInputNamesFileLineAndKey(String text, String message) throws Exception {
        Path conf = write("pushpin.conf", text.replace("\\n", "\n"));
        assertThatThrownBy(() -> ConfigLoader.load(opts(conf), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf + message);
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope/pushpin.conf");
        assertThatThrownBy(() -> ConfigLoader.load(opts(missing), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": config file not found");
        assertThatThrownBy(() -> ConfigLoader.load(opts(dir), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '¦', value = {
        "abc       ¦ --port: invalid port \"abc\"",
        "1.2.3.4:x ¦ --port: invalid port \"x\"",
    })
    void badCommandLineValuesAreNamed(String port, String message) throws Exception {
        StartOptions o = new StartOptions(null, null, null, false, port, null, List.of());
        assertThatThrownBy(() -> ConfigLoader.load(o, dir, List.of())).hasMessage(message);
        StartOptions level = new StartOptions(null, null, "x", false, null, null, List.of());
        assertThatThrownBy(() -> ConfigLoader.load(level, dir, List.of())).hasMessageStartingWith("--loglevel: ");
        assertThatThrownBy(() -> ConfigLoader.load(withId(null, -1), dir, List.of()))
                .hasMessageStartingWith("--id: ");
    }

    @Test
    void errorsInTheIncludeNameTheInclude() throws Exception {
        write("inc.conf", "[handler]\n\nmessage_rate=lots\n");
        Path conf = write("pushpin.conf", "[global]\ninclude=inc.conf\n");
        assertThatThrownBy(() -> ConfigLoader.load(opts(conf), dir, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("inc.conf") + ":3: [handler] message_rate: invalid integer \"lots\"");
    }
}
