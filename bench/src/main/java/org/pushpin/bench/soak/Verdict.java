package org.pushpin.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PASS or FAIL of a soak, and its {@code SAMPLE} and {@code RESULT} lines. PASS needs: nothing lost, repeated or
 * out of order ({@link Rules}), no held client closed by the server, no client failed, every publish accepted,
 * every fault request answered as its kind allows, memory flat (the last sample's live heap and RSS within the
 * slack of the highest samples of the first half after the warm-up), per-connection objects back within the slack
 * of their count before the soak once every client left, and no leak report in the server's log.
 */
final class Verdict {
    private final SocketSoak soak;
    private final Tally tally;
    private final NumberedPublisher publisher;
    private final Population population;
    private final List<ServerProbe.Sample> samples;
    private final ServerProbe.Counts base;
    private final ServerProbe.Counts end;
    private final long leaks;
    private final long connectionsAfter;
    private final long heapBaseKb;
    private final long rssBaseKb;
    private final ServerProbe.Sample last;
    private final boolean flat;
    private final boolean countsBack;
    private final boolean pass;

    Verdict(SocketSoak soak, Tally tally, NumberedPublisher publisher, Population population,
            List<ServerProbe.Sample> samples, ServerProbe.Counts base, ServerProbe.Counts end, long leaks,
            long connectionsAfter) {
        this.soak = soak;
        this.tally = tally;
        this.publisher = publisher;
        this.population = population;
        this.samples = samples;
        this.base = base;
        this.end = end;
        this.leaks = leaks;
        this.connectionsAfter = connectionsAfter;
        double warmup = soak.warmupSeconds / 60.0;
        double halfway = warmup + (soak.minutes - warmup) / 2;
        long heap = 0;
        long rss = 0;
        for (ServerProbe.Sample s : samples) {
            if (s.minutes() >= warmup - 0.05 && s.minutes() <= halfway + 0.05) {
                heap = Math.max(heap, s.heapKb());
                rss = Math.max(rss, s.rssKb());
            }
        }
        if (heap == 0 && !samples.isEmpty()) { // a run too short for a warm-up: the first sample
            heap = samples.get(0).heapKb();
            rss = samples.get(0).rssKb();
        }
        this.heapBaseKb = heap;
        this.rssBaseKb = rss;
        this.last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        this.flat = last != null && last.heapKb() <= heap + soak.heapSlackMb * 1024
                && last.rssKb() <= rss + soak.rssSlackMb * 1024;
        this.countsBack = end.pipelines() <= base.pipelines() + soak.countSlack
                && end.sockets() <= base.sockets() + soak.countSlack
                && end.holds() <= base.holds() + soak.countSlack;
        this.pass = tally.lost.sum() == 0 && tally.outOfOrder.sum() == 0 && tally.pollLost.sum() == 0
                && tally.pollOutOfOrder.sum() == 0 && tally.streamsDropped.sum() == 0
                && tally.pollsDropped.sum() == 0 && tally.failures() == 0 && publisher.failed() == 0
                && tally.faultsUnexpected.sum() == 0 && tally.streamsChecked.sum() > 0 && flat && countsBack
                && leaks == 0;
    }

    boolean pass() {
        return pass;
    }

    List<String> lines(ServerProbe.Sample idle, ServerProbe.Sample after, double rampSeconds) {
        List<String> out = new ArrayList<>();
        for (String v : tally.violationSamples()) {
            out.add("VIOLATION " + v);
        }
        for (Map.Entry<String, Long> e : tally.failureReasons().entrySet()) {
            out.add("FAILURE " + e.getValue() + " x " + e.getKey());
        }
        int heldMin = Integer.MAX_VALUE;
        for (ServerProbe.Sample s : samples) {
            out.add(String.format(Locale.ROOT, "SAMPLE minutes=%.1f held=%d rss_mb=%.1f heap_mb=%.1f", s.minutes(),
                    s.held(), s.rssKb() / 1024.0, s.heapKb() / 1024.0));
            heldMin = Math.min(heldMin, s.held());
        }
        StringBuilder faults = new StringBuilder();
        tally.faults().forEach((k, v) -> faults.append(faults.length() == 0 ? "" : ",").append(k.replace(' ', ':'))
                .append('=').append(v));
        out.add(String.format(Locale.ROOT, "RESULT name=soak %s ramp_s=%.1f held_min=%d streams_opened=%d "
                        + "streams_checked=%d polls_opened=%d retired=%d published=%d publish_failed=%d required=%d "
                        + "received=%d lost=%d out_of_order=%d poll_messages=%d poll_timeouts=%d poll_lost=%d "
                        + "poll_out_of_order=%d dropped=%d failed=%d faults_total=%d faults_unexpected=%d faults=%s "
                        + "rss_idle_mb=%.1f rss_base_mb=%.1f rss_last_mb=%.1f rss_after_mb=%.1f heap_idle_mb=%.1f "
                        + "heap_base_mb=%.1f heap_last_mb=%.1f heap_after_mb=%.1f heap_slack_mb=%d rss_slack_mb=%d "
                        + "flat=%s pipelines_base=%d pipelines_end=%d sockets_base=%d sockets_end=%d holds_base=%d "
                        + "holds_end=%d count_slack=%d connections_after=%d leaks=%d violations=%d verdict=%s",
                soak.describe(), rampSeconds, heldMin == Integer.MAX_VALUE ? 0 : heldMin, tally.streamsOpened.sum(),
                tally.streamsChecked.sum(), tally.pollsOpened.sum(), population.retiredCount(),
                publisher.published(), publisher.failed(), tally.required.sum(), tally.received.sum(),
                tally.lost.sum(), tally.outOfOrder.sum(), tally.pollMessages.sum(), tally.pollTimeouts.sum(),
                tally.pollLost.sum(), tally.pollOutOfOrder.sum(),
                tally.streamsDropped.sum() + tally.pollsDropped.sum(), tally.failures(), tally.faultsTotal(),
                tally.faultsUnexpected.sum(), faults.length() == 0 ? "none" : faults, mb(idle.rssKb()),
                mb(rssBaseKb), last == null ? 0 : mb(last.rssKb()), mb(after.rssKb()), mb(idle.heapKb()),
                mb(heapBaseKb), last == null ? 0 : mb(last.heapKb()), mb(after.heapKb()), soak.heapSlackMb,
                soak.rssSlackMb, flat ? "yes" : "no", base.pipelines(), end.pipelines(), base.sockets(),
                end.sockets(), base.holds(), end.holds(), soak.countSlack, connectionsAfter, leaks,
                tally.violations(), pass ? "PASS" : "FAIL"));
        return out;
    }

    private static double mb(long kb) {
        return kb / 1024.0;
    }
}
