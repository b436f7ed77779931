package org.pushpin.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WildcardsTest {
    private static ChannelIndex index(String name) {
        return new ChannelIndex(name, null, true);
    }

    @Test
    void onlyATrailingStarMakesAPattern() {
        assertThat(Wildcards.isPattern("chat.*")).isTrue();
        assertThat(Wildcards.isPattern("*")).isTrue();
        assertThat(Wildcards.isPattern("chat.*.x")).isFalse();
        assertThat(Wildcards.isPattern("")).isFalse();
        assertThat(Wildcards.prefixOf("chat.*")).isEqualTo("chat.");
    }

    @Test
    void matchesByPrefixOncePerPatternAndNotTheExactIndex() {
        Wildcards w = new Wildcards();
        assertThat(w.isEmpty()).isTrue();
        ChannelIndex chat = index("chat.*");
        ChannelIndex all = index("*");
        ChannelIndex chatA = index("chat.a*");
        Map<String, ChannelIndex> channels = Map.of("chat.*", chat, "*", all, "chat.a*", chatA, "plain", index("p"));
        w.added("chat.*");
        w.added("*");
        w.added("chat.a*");
        w.added("chat.*"); // a second first-subscription of the same name changes nothing
        w.added("plain");
        assertThat(w.patterns()).containsExactlyInAnyOrder("chat.*", "*", "chat.a*");
        assertThat(w.matches("chat.ab", null, channels)).containsExactly(all, chat, chatA);
        assertThat(w.matches("chat.", null, channels)).containsExactly(all, chat);
        assertThat(w.matches("chat.*", chat, channels)).containsExactly(all);
        assertThat(w.matches("news", null, channels)).containsExactly(all);
        w.removed("*");
        w.removed("plain");
        assertThat(w.matches("news", null, channels)).isEmpty();
        w.removed("chat.*");
        w.removed("chat.a*");
        assertThat(w.isEmpty()).isTrue();
        assertThat(w.matches("chat.ab", null, channels)).isEmpty();
    }
}
