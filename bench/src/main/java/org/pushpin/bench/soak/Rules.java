package org.pushpin.bench.soak;

/**
 * The soak's no-loss rules, in one place. {@code W} is the delivery window.
 *
 * <p>Streams (SSE): a stream is held from the moment its first body bytes arrive (the origin's {@code :init}; the
 * server subscribed it before sending them). It must receive every message sent after it was held whose publish
 * was answered {@code 200} at least {@code W} before the client closed it, and every message exactly once and in
 * order: each number it receives is the previous one plus one. A message it got beyond that range (sent while it
 * was being subscribed, or delivered within the window) is fine, as long as the numbers stay consecutive.
 *
 * <p>Long-polls: a poll asked again at {@code t} on a connection the server already answered must be subscribed by
 * {@code t + W}, so the first message sent after {@code t + W} answers it unless an earlier one did: a poll
 * answered with a higher number, or with its timeout answer although that message was answered {@code W} before,
 * lost it. A connection's first poll is not held to this: the request may wait in the kernel's accept queue for
 * as long as the server takes to accept, and the client cannot see when that happened. Each poll client's numbers
 * strictly grow (none twice, none out of order). Messages sent while a client re-polls are not its to get.
 */
final class Rules {
    final PublishLog log;
    final long windowNanos;
    final Tally tally;

    Rules(PublishLog log, long windowNanos, Tally tally) {
        this.log = log;
        this.windowNanos = windowNanos;
        this.tally = tally;
    }

    /**
     * A held stream ended at {@code closeAt}, having received {@code first..last} (0: nothing); the gaps and repeats
     * inside were counted as they came ({@link #streamReceived}). Counts the required messages it did not get.
     */
    void streamEnded(int index, long heldAt, long first, long last, long closeAt) {
        int lo = log.firstSentAfter(heldAt);
        int hi = log.lastAnsweredBefore(closeAt - windowNanos);
        if (lo == 0 || hi < lo) {
            return; // nothing was owed to it
        }
        tally.streamsChecked.increment();
        tally.required.add(hi - lo + 1);
        long overlap = first == 0 ? 0 : Math.max(0, Math.min(hi, last) - Math.max(lo, first) + 1);
        long missing = hi - lo + 1 - overlap;
        if (missing > 0) {
            tally.lost.add(missing);
            tally.violation("stream %d: owed messages %d..%d, received %d..%d", index, lo, hi, first, last);
        }
    }

    /** Message {@code n} arrived on a stream that had received up to {@code last} (0: none); returns the new last. */
    long streamReceived(int index, long last, long n) {
        tally.received.increment();
        if (last != 0 && n != last + 1) {
            if (n <= last) {
                tally.outOfOrder.increment();
                tally.violation("stream %d: message %d after %d (repeated or out of order)", index, n, last);
                return last;
            }
            tally.lost.add(n - last - 1);
            tally.violation("stream %d: message %d after %d (gap)", index, n, last);
        }
        return n;
    }

    /**
     * A poll asked at {@code askedAt} was answered at {@code now} with message {@code n} (0: its timeout answer),
     * the client's previous message being {@code last}; returns the new last. {@code reasked}: not the
     * connection's first poll.
     */
    long pollAnswered(int index, long askedAt, boolean reasked, long last, long n, long now) {
        int owed = reasked ? log.firstSentAfter(askedAt + windowNanos) : 0;
        if (n == 0) {
            tally.pollTimeouts.increment();
            if (owed != 0 && log.answeredAt(owed) < now - windowNanos) { // nanoTime: no wrap within a run
                tally.pollLost.increment();
                tally.violation("poll %d: timeout answer, but message %d was owed", index, owed);
            }
            return last;
        }
        tally.pollMessages.increment();
        if (n <= last) {
            tally.pollOutOfOrder.increment();
            tally.violation("poll %d: message %d after %d (repeated or out of order)", index, n, last);
            return last;
        }
        if (owed != 0 && n > owed) {
            tally.pollLost.increment();
            tally.violation("poll %d: answered with message %d, but %d was owed", index, n, owed);
        }
        return n;
    }
}
