package org.pushpin.bench.load;

/**
 * Chooses the target rate of each throughput step: doubles while steps pass, then bisects between the best pass and
 * the lowest failure until they are within {@code precision} of each other or the steps are used up.
 */
final class RateStepper {
    private final double precision;
    private final int maxSteps;
    private long current;
    private long bestPass;
    private long lowestFail = Long.MAX_VALUE;
    private int steps;

    RateStepper(long start, double precision, int maxSteps) {
        if (start <= 0 || precision <= 0 || maxSteps <= 0) {
            throw new IllegalArgumentException("start, precision and maxSteps must be > 0");
        }
        this.current = start;
        this.precision = precision;
        this.maxSteps = maxSteps;
    }

    /** The rate to try next. */
    long current() {
        return current;
    }

    /** Records the outcome of a step at {@link #current()} and picks the next rate. */
    void report(boolean pass) {
        steps++;
        if (pass) {
            bestPass = Math.max(bestPass, current);
        } else {
            lowestFail = Math.min(lowestFail, current);
        }
        current = lowestFail == Long.MAX_VALUE ? current * 2
                : bestPass == 0 ? current / 2
                : (bestPass + lowestFail) / 2;
    }

    boolean done() {
        if (steps >= maxSteps || current <= 0) {
            return true;
        }
        return bestPass > 0 && lowestFail != Long.MAX_VALUE && lowestFail - bestPass <= precision * bestPass;
    }

    /** The highest passing rate, 0 if none passed. */
    long best() {
        return bestPass;
    }
}
