package org.pushpin.transport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Flushes connections once per run of queued work on an event loop instead of once per published item: the
 * first write of a round queues one task behind the deliveries already waiting on the loop, and that task flushes
 * every connection written meanwhile. A connection that gets several items in a burst then costs one socket write,
 * not one each; a lone item waits only for the loop's queue. One instance per loop, used only from that loop.
 * Users are held SSE streams and WebSockets getting published messages.
 */
public final class LoopFlusher implements Runnable {
    /** Something written without a flush; asks {@link #add} at most once per round (it keeps its own flag). */
    public interface Flushable {
        /** Called once by the round it asked for: flush now. */
        void flushNow();
    }

    /** Past this many streams in one round, the list is not kept for the next (a million-room fanout). */
    private static final int KEEP_CAPACITY = 4096;

    private static final FastThreadLocal<LoopFlusher> FLUSHERS = new FastThreadLocal<>() {
        @Override
        protected LoopFlusher initialValue() {
            return new LoopFlusher();
        }
    };

    private ArrayList<Flushable> pending = new ArrayList<>();
    /** The other list, empty: a flush round may queue streams for the next round while it walks its own. */
    private ArrayList<Flushable> spare = new ArrayList<>();

    /** The flusher of the calling thread's loop. */
    public static LoopFlusher current() {
        return FLUSHERS.get();
    }

    /** Flushes {@code stream} at the end of this round ({@code stream} asks once per round). */
    public void add(Flushable stream, EventLoop loop) {
        if (pending.isEmpty()) {
            loop.execute(this);
        }
        pending.add(stream);
    }

    @Override
    public void run() {
        ArrayList<Flushable> round = pending;
        pending = spare;
        for (int i = 0; i < round.size(); i++) {
            round.get(i).flushNow();
        }
        boolean keep = round.size() <= KEEP_CAPACITY;
        round.clear();
        spare = keep ? round : new ArrayList<>();
    }
}
