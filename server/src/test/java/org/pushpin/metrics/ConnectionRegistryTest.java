package org.pushpin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
    @Test
    void offItKeepsNothing() {
        ConnectionRegistry r = new ConnectionRegistry();
        assertThat(r.open(ConnectionRegistry.Type.HTTP, "r", "127.0.0.1", false, null, null)).isNull();
        assertThat(r.open()).isEmpty();
        assertThat(r.routes()).isEmpty();
    }

    @Test
    void onItNamesOpenConnectionsCountsRoutesAndTellsItsListener() {
        ConnectionRegistry r = new ConnectionRegistry();
        r.enable("inst");
        List<String> events = new ArrayList<>();
        r.listener(new ConnectionRegistry.Listener() {
            @Override
            public void connected(ConnectionRegistry.Connection c) {
                events.add("+" + c.id);
            }

            @Override
            public void gone(ConnectionRegistry.Connection c) {
                events.add("-" + c.id);
            }
        });
        AtomicInteger refreshed = new AtomicInteger();
        ConnectionRegistry.Connection a = r.open(ConnectionRegistry.Type.HTTP, "r1", "10.0.0.1", true, null, null);
        ConnectionRegistry.Connection b = r.open(ConnectionRegistry.Type.WS, null, null, false, "cid-1",
                refreshed::incrementAndGet);
        assertThat(a.id).startsWith("inst:").isNotEqualTo(b.id);
        assertThat(b.id).isEqualTo("cid-1");
        assertThat(r.isOpen(a.id)).isTrue();
        assertThat(r.refresh("cid-1")).isTrue();
        assertThat(refreshed).hasValue(1);
        assertThat(r.refresh("nobody")).isFalse();
        assertThat(r.routes()).singleElement().satisfies(rc -> {
            assertThat(rc.id).isEqualTo("r1");
            assertThat(rc.open()).isEqualTo(1);
        });
        r.close(a);
        r.close(a);
        r.close(null);
        assertThat(r.isOpen(a.id)).isFalse();
        assertThat(r.routes()).singleElement().satisfies(rc -> {
            assertThat(rc.open()).isZero();
            assertThat(rc.opened()).isEqualTo(1);
        });
        assertThat(events).containsExactly("+" + a.id, "+cid-1", "-" + a.id);
    }
}
