package org.pushpin.bench.load;

import java.io.IOException;

/**
 * Where a run's stamped messages go: a GRIP control API ({@link Publisher}) or Nchan's publisher location
 * ({@link NchanPublisher}). Either way every listed room gets one message per repeat, all carrying the same stamp,
 * and each subscriber of a room receives each of them once.
 */
interface RoomPublisher {
    /** Rooms {@code first .. first+count-1}, {@code repeat} messages each; returns once the server took them all. */
    void rooms(int first, int count, int repeat) throws IOException, InterruptedException;

    void close();
}
