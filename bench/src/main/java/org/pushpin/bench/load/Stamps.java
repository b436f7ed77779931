package org.pushpin.bench.load;

/**
 * The publish clock. The publisher and the receivers are one process, so a stamp is {@link System#nanoTime()}
 * itself, shifted so that it is never negative (a stamp travels as unsigned decimal digits).
 */
final class Stamps {
    private static final long BASE = System.nanoTime() - 1;

    private Stamps() {
    }

    static long now() {
        return System.nanoTime() - BASE;
    }
}
