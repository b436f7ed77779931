package org.pushpin.zhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZhttpSpecsTest {
    @Test
    void aTcpSpecMeansThreePortsInARow() {
        assertThat(ZhttpSpecs.streamSpecs("tcp://127.0.0.1:5555"))
                .containsExactly("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556", "tcp://127.0.0.1:5557");
    }

    @Test
    void aPathSpecMeansThreeSuffixes() {
        assertThat(ZhttpSpecs.streamSpecs("ipc:///tmp/svc"))
                .containsExactly("ipc:///tmp/svc-out", "ipc:///tmp/svc-out-stream", "ipc:///tmp/svc-in");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:http", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65534", "tcp://h:"})
    void aBadPortIsRefused(String spec) {
        assertThatThrownBy(() -> ZhttpSpecs.streamSpecs(spec)).isInstanceOf(IllegalArgumentException.class);
    }
}
