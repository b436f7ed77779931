package org.pushpin.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The soak's no-loss rules on made-up times (seconds as nanoseconds, window 10). */
class RulesTest {
    private static final long S = 1_000_000_000L;

    /** Message k sent at second 10k, answered at 10k + 1. */
    private static Rules rules(int messages) {
        PublishLog log = new PublishLog(100);
        for (int k = 1; k <= messages; k++) {
            log.sending(10 * k * S);
            log.answered(k, (10 * k + 1) * S);
        }
        return new Rules(log, 10 * S, new Tally());
    }

    /** A stream held at {@code heldAt} s that received {@code numbers}, closed at {@code closeAt} s. */
    private static void stream(Rules r, long heldAt, long closeAt, long... numbers) {
        long first = 0;
        long last = 0;
        for (long n : numbers) {
            last = r.streamReceived(1, last, n);
            first = first == 0 ? n : first;
        }
        r.streamEnded(1, heldAt * S, first, last, closeAt * S);
    }

    @Test
    void aStreamOwesTheMessagesSentAfterItWasHeldAndAnsweredAWindowBeforeItClosed() {
        Rules r = rules(9);
        stream(r, 15, 62, 2, 3, 4, 5);   // owed 2..5 (5 answered at 51 = 62 - 11); got them
        assertThat(r.tally.required.sum()).isEqualTo(4);
        assertThat(r.tally.lost.sum()).isZero();
        stream(r, 15, 62, 1, 2, 3, 4, 5, 6); // more (a racing 1, a 6 within the window) is fine
        assertThat(r.tally.lost.sum()).isZero();
        assertThat(r.tally.violations()).isZero();
    }

    @Test
    void aGapTheHeadOrTheTailMissingIsLost() {
        Rules r = rules(9);
        stream(r, 15, 62, 2, 4, 5);
        assertThat(r.tally.lost.sum()).as("gap").isEqualTo(1);
        stream(r, 15, 62, 3, 4, 5);
        assertThat(r.tally.lost.sum()).as("head").isEqualTo(2);
        stream(r, 15, 62, 2, 3);
        assertThat(r.tally.lost.sum()).as("tail").isEqualTo(4);
        stream(r, 15, 62);
        assertThat(r.tally.lost.sum()).as("nothing").isEqualTo(8);
    }

    @Test
    void aRepeatOrAnOutOfOrderMessageIsCounted() {
        Rules r = rules(9);
        stream(r, 15, 62, 2, 3, 3, 4, 5);
        stream(r, 15, 62, 2, 4, 3, 5);
        assertThat(r.tally.outOfOrder.sum()).isEqualTo(2);
    }

    @Test
    void aPollAskedAgainIsOwedTheFirstMessageSentAWindowAfterItAsked() {
        Rules r = rules(9);
        assertThat(r.pollAnswered(1, 15 * S, true, 0, 3, 40 * S)).isEqualTo(3); // owed 3 (sent at 30)
        assertThat(r.pollAnswered(1, 15 * S, true, 0, 2, 40 * S)).isEqualTo(2); // an earlier one is fine
        assertThat(r.tally.pollLost.sum()).isZero();
        r.pollAnswered(1, 15 * S, true, 0, 4, 40 * S);
        assertThat(r.tally.pollLost.sum()).as("skipped the owed 3").isEqualTo(1);
        r.pollAnswered(1, 15 * S, false, 0, 4, 40 * S);
        assertThat(r.tally.pollLost.sum()).as("a connection's first poll is not held to it").isEqualTo(1);
        r.pollAnswered(1, 15 * S, true, 0, 0, 60 * S);
        assertThat(r.tally.pollLost.sum()).as("timeout answer though 3 was answered at 31").isEqualTo(2);
        r.pollAnswered(1, 15 * S, true, 5, 5, 60 * S);
        assertThat(r.tally.pollOutOfOrder.sum()).isEqualTo(1);
    }
}
