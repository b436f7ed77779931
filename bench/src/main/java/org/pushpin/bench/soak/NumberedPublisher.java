package org.pushpin.bench.soak;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;
import org.pushpin.bench.load.PublishBody;
import org.pushpin.bench.load.Publisher;
import org.pushpin.bench.load.Transport;

/**
 * Publishes message 1, 2, 3... to every room at a steady rate, one {@code POST /publish} at a time (one item per
 * room), on its own thread, recording each in the {@link PublishLog}. A publish not answered {@code 200} is counted
 * and breaks the run (its number stays owed).
 */
final class NumberedPublisher {
    private final Publisher publisher;
    private final int rooms;
    private final long periodNanos;
    private final PublishLog log;
    private final Tally tally;
    private final Thread thread = new Thread(this::run, "soak-publisher");
    private volatile boolean running = true;
    private volatile long failed;

    NumberedPublisher(EventLoopGroup group, Transport transport, int control, int rooms, double perSecond,
                      PublishLog log, Tally tally) {
        this.publisher = new Publisher(group, transport, new InetSocketAddress("127.0.0.1", control));
        this.rooms = rooms;
        this.periodNanos = (long) (1e9 / perSecond);
        this.log = log;
        this.tally = tally;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the publish in progress; returns once it ended. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        publisher.close();
    }

    long published() {
        return log.sent();
    }

    long failed() {
        return failed;
    }

    private void run() {
        long due = System.nanoTime();
        while (running && log.sent() < log.capacity()) {
            for (long wait; (wait = due - System.nanoTime()) > 0 && running; ) {
                LockSupport.parkNanos(Math.min(wait, 100_000_000L));
            }
            if (!running) {
                return;
            }
            int k = log.sending(System.nanoTime());
            try {
                publisher.publish(PublishBody.numbered(rooms, k));
            } catch (IOException e) {
                failed++;
                tally.violation("publish %d: %s", k, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                log.answered(k, System.nanoTime());
            }
            due += periodNanos;
        }
    }
}
