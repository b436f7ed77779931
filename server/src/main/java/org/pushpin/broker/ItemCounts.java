package org.pushpin.broker;

import java.nio.charset.StandardCharsets;

/**
 * What became of one item on one instance, or summed over several (docs/delivery-feedback.md): subscribers by
 * outcome, plus deliveries {@code message_hwm} cut. How an instance answers a publish that asked for feedback
 * through a cluster broker; the broker only carries and sums these.
 *
 * @param discarded why the item was not fanned out at all ({@code duplicate_id}, {@code sequence}), or null
 */
public record ItemCounts(int delivered, int filtered, int deferred, int slowClient, int closed, int filterError,
                         int messageHwm, String discarded) {
    public static final ItemCounts NONE = new ItemCounts(0, 0, 0, 0, 0, 0, 0, null);

    public ItemCounts plus(ItemCounts o) {
        return new ItemCounts(delivered + o.delivered, filtered + o.filtered, deferred + o.deferred,
                slowClient + o.slowClient, closed + o.closed, filterError + o.filterError, messageHwm + o.messageHwm,
                discarded != null ? discarded : o.discarded);
    }

    /** Space-separated decimal counts, then the discard reason or {@code -}. */
    String encode() {
        return delivered + " " + filtered + " " + deferred + " " + slowClient + " " + closed + " " + filterError + " "
                + messageHwm + " " + (discarded == null ? "-" : discarded);
    }

    /** Reads {@link #encode}'s form from {@code parts[from..]}; throws IllegalArgumentException when malformed. */
    static ItemCounts decode(String[] parts, int from) {
        if (parts.length != from + 8) {
            throw new IllegalArgumentException("expected 8 fields, got " + (parts.length - from));
        }
        int[] n = new int[7];
        for (int i = 0; i < 7; i++) {
            n[i] = Integer.parseInt(parts[from + i]);
            if (n[i] < 0) {
                throw new IllegalArgumentException("negative count");
            }
        }
        String d = parts[from + 7];
        return new ItemCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], d.equals("-") ? null : d);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
