package org.pushpin.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The feedback header and answers that instances exchange through Redis: read back, and refused when malformed. */
class RedisFeedbackWireTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFramedItemReadsBackAndAPlainOneHasNoHeader() {
        RedisFeedback f = new RedisFeedback();
        byte[] framed = f.frame(7, 2, bytes("{\"channel\":\"c\"}"));
        RedisFeedback.Asked asked = RedisFeedback.asked(framed);
        assertThat(asked.replyChannel()).isEqualTo(f.replyChannel);
        assertThat(asked.token()).isEqualTo("7");
        assertThat(asked.index()).isEqualTo(2);
        assertThat(new String(framed, asked.bodyStart(), framed.length - asked.bodyStart(), StandardCharsets.UTF_8))
                .isEqualTo("{\"channel\":\"c\"}");
        assertThat(RedisFeedback.asked(bytes("{\"channel\":\"c\"}"))).isNull();
    }

    @Test
    void malformedHeadersAndAnswersAreRefused() {
        for (String bad : new String[] {"#feedback x 1 2", "#other x 1 2\n{}", "#feedback x 1\n{}",
                "#feedback x 1 y\n{}"}) {
            assertThatThrownBy(() -> RedisFeedback.asked(bytes(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        RedisFeedback f = new RedisFeedback();
        for (String bad : new String[] {"", "1 0 1 2 3", "1 0 1 2 3 4 5 6 x -", "1 0 1 2 3 4 5 6 -7 -",
                "x 0 1 2 3 4 5 6 7 -"}) {
            assertThatThrownBy(() -> f.answer(bytes(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void answersAreSummedUntilEveryReachedSubscriberAnswered() throws Exception {
        RedisFeedback f = new RedisFeedback();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            RedisFeedback.Pending p = f.open(1, 10_000, timer);
            p.expect(0, 2);
            ItemCounts one = new ItemCounts(3, 1, 0, 1, 0, 0, 2, null);
            f.answer(RedisFeedback.asked(f.frame(p.token, 0, bytes("{}"))).answer(one));
            assertThat(p.done).isNotDone();
            f.answer(RedisFeedback.asked(f.frame(p.token, 0, bytes("{}"))).answer(one));
            ClusterCounts c = p.done.get();
            assertThat(c.complete()).isTrue();
            assertThat(c.instances()).isEqualTo(2);
            assertThat(c.items().get(0)).isEqualTo(new ItemCounts(6, 2, 0, 2, 0, 0, 4, null));
            f.answer(RedisFeedback.asked(f.frame(p.token, 0, bytes("{}"))).answer(one)); // late: ignored
        } finally {
            timer.shutdownNow();
        }
    }
}
