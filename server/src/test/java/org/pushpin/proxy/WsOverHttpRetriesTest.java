package org.pushpin.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;

class WsOverHttpRetriesTest {
    @RepeatedTest(20)
    void oneTwoFourEightSixteenSecondsPlusUpToOneThenGiveUp() {
        long[] base = {1000, 2000, 4000, 8000, 16000};
        for (int i = 0; i < base.length; i++) {
            assertThat(WsOverHttpRetries.delay(i)).isBetween(base[i], base[i] + 999);
        }
        assertThat(WsOverHttpRetries.delay(5)).isEqualTo(-1);
    }
}
