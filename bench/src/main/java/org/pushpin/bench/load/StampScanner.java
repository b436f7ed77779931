package org.pushpin.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds publish stamps in a response body: {@code '@'} followed by decimal digits, ended by any other byte. Works
 * straight on the received {@link ByteBuf}s, keeping its state between them (a stamp may be split across reads), so
 * receiving an event allocates nothing. Bodies carry no other {@code '@'}: chunk sizes are hex, the initial bodies
 * and the SSE framing have none.
 */
public final class StampScanner implements ByteProcessor {
    static final byte MARK = '@';

    /** Called for each complete stamp. */
    public interface Sink {
        void stamp(long value);
    }

    private final Sink sink;
    private static final long OUTSIDE = -1;
    private static final long AFTER_MARK = -2; // a mark with no digit yet is no stamp

    private long value = OUTSIDE;

    public StampScanner(Sink sink) {
        this.sink = sink;
    }

    /** Scans the readable bytes of {@code buf} without moving its reader index. */
    void scan(ByteBuf buf) {
        buf.forEachByte(this);
    }

    @Override
    public boolean process(byte b) {
        if (b >= '0' && b <= '9') {
            if (value >= 0) {
                value = value * 10 + (b - '0');
            } else if (value == AFTER_MARK) {
                value = b - '0';
            }
        } else {
            if (value >= 0) {
                sink.stamp(value);
            }
            value = b == MARK ? AFTER_MARK : OUTSIDE;
        }
        return true;
    }
}
