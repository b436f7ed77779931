package org.pushpin.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests count as identical for request sharing. */
class SharedRequestsKeyTest {
    @Test
    void aNextLinkIsKeyedWithoutItsQueryAndWithItsGripLastHeadersInAnyOrder() {
        String a = SharedRequests.linkKey(URI.create("http://o.example/next?client=1"),
                List.of(Map.entry("Grip-Last", "b; last-id=2"), Map.entry("grip-last", "a; last-id=1")));
        String b = SharedRequests.linkKey(URI.create("http://o.example/next?client=2"),
                List.of(Map.entry("Grip-Last", "a; last-id=1"), Map.entry("Grip-Last", "b; last-id=2"),
                        Map.entry("X-Other", "ignored")));
        assertThat(a).isEqualTo(b);
        assertThat(SharedRequests.linkKey(URI.create("http://o.example/next"),
                List.of(Map.entry("Grip-Last", "a; last-id=9"), Map.entry("Grip-Last", "b; last-id=2"))))
                .isNotEqualTo(a);
        assertThat(SharedRequests.linkKey(URI.create("http://o.example/other?client=1"), List.of())).isNotEqualTo(
                SharedRequests.linkKey(URI.create("http://o.example/next?client=1"), List.of()));
    }

    @Test
    void aRequestIsKeyedByMethodFullUrlAndWhetherItsAnswerIsReadAsGrip() {
        String key = SharedRequests.requestKey("GET", "http://h.example/p?q=1", false);
        assertThat(SharedRequests.requestKey("GET", "http://h.example/p?q=1", false)).isEqualTo(key);
        assertThat(SharedRequests.requestKey("GET", "http://h.example/p?q=2", false)).isNotEqualTo(key);
        assertThat(SharedRequests.requestKey("HEAD", "http://h.example/p?q=1", false)).isNotEqualTo(key);
        assertThat(SharedRequests.requestKey("GET", "https://h.example/p?q=1", false)).isNotEqualTo(key);
        assertThat(SharedRequests.requestKey("GET", "http://other.example/p?q=1", false)).isNotEqualTo(key);
        assertThat(SharedRequests.requestKey("GET", "http://h.example/p?q=1", true)).isNotEqualTo(key);
    }
}
