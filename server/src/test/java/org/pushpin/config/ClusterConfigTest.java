package org.pushpin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [cluster]}: the defaults (no broker), a Redis broker's settings, and what is refused with a clear error. */
class ClusterConfigTest {
    @TempDir
    Path dir;

    private ClusterConfig load(String text) throws Exception {
        Path file = dir.resolve("pushpin.conf");
        Files.writeString(file, text);
        return ConfigLoader.load(new StartOptions(file, null, null, false, null, null, List.of()), dir, List.of())
                .cluster();
    }

    @Test
    void withoutTheSectionThisInstanceIsAlone() throws Exception {
        ClusterConfig c = load("[global]\n");
        assertThat(c.redis()).isFalse();
        assertThat(c.broker()).isEqualTo("none");
        assertThat(c.redisPrefix()).isEqualTo("pushpin:");
        assertThat(c.redisSharded()).isFalse();
    }

    @Test
    void aRedisBrokerWithItsSettings() throws Exception {
        ClusterConfig c = load("[cluster]\nbroker=redis\nredis_url=rediss://:secret@10.0.0.5:6380/2\n"
                + "redis_prefix=prod:\nredis_sharded=true\n");
        assertThat(c.redis()).isTrue();
        assertThat(c.redisUrl()).isEqualTo("rediss://:secret@10.0.0.5:6380/2");
        assertThat(c.redisPrefix()).isEqualTo("prod:");
        assertThat(c.redisSharded()).isTrue();
    }

    @Test
    void anUnknownBrokerOrAUrlThatIsNotRedisIsRefused() {
        assertThatThrownBy(() -> load("[cluster]\nbroker=kafka\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pushpin.conf:2: [cluster] broker: \"kafka\"")
                .hasMessageContaining("none or redis");
        assertThatThrownBy(() -> load("[cluster]\nbroker=redis\nredis_url=http://127.0.0.1:6379\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pushpin.conf:3: [cluster] redis_url");
    }
}
