package org.pushpin.bench.soak;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each numbered message was sent to the control API and when it was accepted ({@code 200}). Message
 * {@code n} goes to every room in one {@code POST /publish}, and publishes go one at a time, so both times grow
 * with {@code n} and the questions the rules ask are binary searches. Written by the publishing thread only, read
 * from the client event loops: the counts are published after the times they cover.
 */
final class PublishLog {
    private final AtomicLongArray sentAt;
    private final AtomicLongArray answeredAt;
    private volatile int sent;      // messages 1..sent were sent
    private volatile int answered;  // messages 1..answered were answered (accepted or not)

    PublishLog(int capacity) {
        sentAt = new AtomicLongArray(capacity + 1);
        answeredAt = new AtomicLongArray(capacity + 1);
    }

    int capacity() {
        return sentAt.length() - 1;
    }

    /** Records that the next message is being sent now; returns its number. */
    int sending(long now) {
        int n = sent + 1;
        sentAt.set(n, now);
        sent = n;
        return n;
    }

    /** Message {@code n}'s answer came (a publish that failed is counted by the caller and still ends here). */
    void answered(int n, long now) {
        answeredAt.set(n, now);
        answered = n;
    }

    int sent() {
        return sent;
    }

    /** The first message sent after {@code t}, or 0 when none was (yet). */
    int firstSentAfter(long t) {
        int lo = 1;
        int hi = sent;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sentAt.get(mid) - t > 0) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /** The last message answered before {@code t}, or 0 when none was. */
    int lastAnsweredBefore(long t) {
        int lo = 1;
        int hi = answered;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (answeredAt.get(mid) - t < 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** When message {@code n} was answered; {@link Long#MAX_VALUE} while it was not. */
    long answeredAt(int n) {
        return n <= answered ? answeredAt.get(n) : Long.MAX_VALUE;
    }
}
