package org.pushpin.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pushpin.config.ClusterConfig;
import org.pushpin.config.ConfigLoader;
import org.pushpin.config.HandlerConfig;
import org.pushpin.config.ProxyConfig;
import org.pushpin.config.PushpinConfig;
import org.pushpin.config.RunnerConfig;
import org.pushpin.config.StartOptions;
import org.pushpin.config.TimeoutsConfig;

/** What a SIGHUP takes from the file and what it leaves as running until a restart. */
class LiveSettingsTest {
    @TempDir
    Path dir;

    @Test
    void everyLiveSettingNamesAField() {
        Set<String> fields = new HashSet<>();
        for (var section : List.of(RunnerConfig.class, ProxyConfig.class, HandlerConfig.class, ClusterConfig.class,
                TimeoutsConfig.class)) {
            String name = section.getSimpleName().replace("Config", "").toLowerCase();
            Arrays.stream(section.getRecordComponents()).forEach(c -> fields.add(name + "." + c.getName()));
        }
        assertThat(fields).containsAll(LiveSettings.LIVE);
    }

    @Test
    void liveSettingsComeFromTheFileTheRestStaysAsRunning() throws Exception {
        PushpinConfig running = load("[runner]\nhttp_port=7999\nclient_maxconn=100\nclient_request_timeout=30\n"
                + "[proxy]\ndebug=false\n[handler]\nmessage_hwm=10\npush_in_spec=tcp://127.0.0.1:5560\n");
        PushpinConfig inFile = load("[runner]\nhttp_port=8000\nclient_maxconn=200\nclient_request_timeout=5\n"
                + "[proxy]\ndebug=true\n[handler]\nmessage_hwm=20\npush_in_spec=tcp://127.0.0.1:6560\n");
        PushpinConfig merged = LiveSettings.merge(running, inFile);
        assertThat(merged.timeouts().clientRequestSeconds()).isEqualTo(5);
        assertThat(merged.proxy().debug()).isTrue();
        assertThat(merged.handler().messageHwm()).isEqualTo(20);
        assertThat(merged.runner().httpPorts()).isEqualTo(running.runner().httpPorts());
        assertThat(merged.runner().clientMaxconn()).isEqualTo(100);
        assertThat(merged.handler().pushInSpec()).isEqualTo("tcp://127.0.0.1:5560");
    }

    private PushpinConfig load(String text) throws Exception {
        Path conf = Files.writeString(dir.resolve("pushpin.conf"), text);
        return ConfigLoader.load(new StartOptions(conf, null, null, false, null, null, List.of()), dir);
    }
}
