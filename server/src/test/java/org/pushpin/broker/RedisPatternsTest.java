package org.pushpin.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisPatternsTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void thePatternEscapesGlobCharactersOfThePrefixAndEndsInAStar() {
        RedisPatterns p = new RedisPatterns("pp[1]:");
        assertThat(new String(p.patternKey("chat.*"), UTF_8)).isEqualTo("pp\\[1\\]:chat.*");
        assertThat(new String(p.patternKey("a?b\\c*d*"), UTF_8)).isEqualTo("pp\\[1\\]:a\\?b\\\\c\\*d*");
        assertThat(new String(p.patternKey("*"), UTF_8)).isEqualTo("pp\\[1\\]:*");
        assertThat(RedisPatterns.unescapePrefix("pp\\[1\\]:a\\?b\\\\c\\*d*")).isEqualTo("pp[1]:a?b\\c*d");
    }

    @Test
    void onlyOneCopyOfAPublishIsTaken() {
        RedisPatterns p = new RedisPatterns("x:");
        byte[] chat = p.patternKey("chat.*");
        byte[] all = p.patternKey("*");
        p.psubscribed(chat);
        assertThat(p.takes(chat, b("x:chat.a"))).isTrue();
        p.psubscribed(all);
        // "x:*" sorts before "x:chat.*": its copy is the one taken for channels both match
        assertThat(p.takes(all, b("x:chat.a"))).isTrue();
        assertThat(p.takes(chat, b("x:chat.a"))).isFalse();
        assertThat(p.takes(all, b("x:news"))).isTrue();
        // the exact subscription's plain copy wins once Redis acknowledged it
        p.subscribed(b("x:chat.a"));
        assertThat(p.takes(all, b("x:chat.a"))).isFalse();
        assertThat(p.takes(all, b("x:chat.b"))).isTrue();
        p.unsubscribed(b("x:chat.a"));
        p.punsubscribed(all);
        assertThat(p.takes(chat, b("x:chat.a"))).isTrue();
        p.disconnected();
        p.psubscribed(chat);
        assertThat(p.takes(chat, b("x:chat.a"))).isTrue();
    }
}
