package org.pushpin.hold;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Flushes held streams once per run of queued work on an event loop instead of once per published item: the
 * first write of a round queues one task behind the deliveries already waiting on the loop, and that task flushes
 * every stream written meanwhile. A stream that gets several items in a burst then costs one socket write, not one
 * each; a lone item waits only for the loop's queue. One instance per loop, used only from that loop.
 */
final class LoopFlusher implements Runnable {
    /** Past this many streams in one round, the list is not kept for the next (a million-room fanout). */
    private static final int KEEP_CAPACITY = 4096;

    private static final FastThreadLocal<LoopFlusher> FLUSHERS = new FastThreadLocal<>() {
        @Override
        protected LoopFlusher initialValue() {
            return new LoopFlusher();
        }
    };

    private ArrayList<HeldStream> pending = new ArrayList<>();
    /** The other list, empty: a flush round may queue streams for the next round while it walks its own. */
    private ArrayList<HeldStream> spare = new ArrayList<>();

    /** The flusher of the calling thread's loop. */
    static LoopFlusher current() {
        return FLUSHERS.get();
    }

    /** Flushes {@code stream} at the end of this round ({@code stream} asks once per round). */
    void add(HeldStream stream, EventLoop loop) {
        if (pending.isEmpty()) {
            loop.execute(this);
        }
        pending.add(stream);
    }

    @Override
    public void run() {
        ArrayList<HeldStream> round = pending;
        pending = spare;
        for (int i = 0; i < round.size(); i++) {
            round.get(i).flushNow();
        }
        boolean keep = round.size() <= KEEP_CAPACITY;
        round.clear();
        spare = keep ? round : new ArrayList<>();
    }
}
