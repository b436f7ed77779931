package org.pushpin.hold;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.pushpin.message.PublishItem;

/**
 * The delivery filters (docs/grip.md#filters) that decide whether a subscriber gets an item at all (skip-self,
 * skip-users, require-sub), and var-subst, the one content filter applied here. Unknown filter names are ignored.
 */
final class Filters {
    private Filters() {
    }

    static boolean accepts(Hold hold, String channel, PublishItem item) {
        return accepts(hold.filtersOf(channel), hold.meta, hold.channels, item);
    }

    /**
     * @param filters  the subscription's filters
     * @param meta     the subscriber's meta ({@code user} for skip-self and skip-users)
     * @param channels the subscriber's channels, full names (for require-sub); null slots are skipped
     */
    static boolean accepts(List<String> filters, Map<String, String> meta, String[] channels, PublishItem item) {
        if (filters.isEmpty()) {
            return true;
        }
        String user = meta.get("user");
        Map<String, String> pub = item.meta();
        if (filters.contains("skip-self") && user != null && !user.isEmpty() && user.equals(pub.get("sender"))) {
            return false;
        }
        if (filters.contains("skip-users") && user != null && pub.containsKey("skip_users")) {
            for (String u : pub.get("skip_users").split(",")) {
                if (u.trim().equals(user)) {
                    return false;
                }
            }
        }
        if (filters.contains("require-sub") && pub.containsKey("require_sub")) {
            String required = pub.get("require_sub");
            boolean found = false;
            for (String c : channels) {
                if (required.equals(c)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** The content filters among a subscription's filters, in order (docs/grip.md#filters). */
    private static final List<String> CONTENT_FILTERS = List.of("build-id", "var-subst");

    /**
     * A format that names its {@code content-filters} must name exactly the subscription's content filters, in
     * order; a format that names none is delivered as it is.
     */
    static boolean contentFiltersMatch(Hold hold, String channel, org.pushpin.message.Format format) {
        List<String> filters = hold.filtersOf(channel);
        if (hold.context.httpFilters && filters.contains(HttpFilters.MODIFY)) {
            // http-modify changes content too (Pushpin's 2.0 work): it counts among the content filters
            List<String> published = format.contentFilters();
            if (published == null || published.isEmpty()) {
                return true;
            }
            List<String> own = new java.util.ArrayList<>();
            for (String f : filters) {
                if (CONTENT_FILTERS.contains(f) || f.equals(HttpFilters.MODIFY)) {
                    own.add(f);
                }
            }
            return published.equals(own);
        }
        return contentFiltersMatch(filters, format);
    }

    /** As {@link #contentFiltersMatch(Hold, String, org.pushpin.message.Format)}, given the subscription's filters. */
    static boolean contentFiltersMatch(List<String> filters, org.pushpin.message.Format format) {
        List<String> published = format.contentFilters();
        if (published == null || published.isEmpty()) {
            return true;
        }
        List<String> own = new java.util.ArrayList<>();
        for (String f : filters) {
            if (CONTENT_FILTERS.contains(f)) {
                own.add(f);
            }
        }
        return published.equals(own);
    }

    static boolean substitutes(Hold hold, String channel) {
        return hold.filtersOf(channel).contains("var-subst");
    }

    /**
     * var-subst: {@code %(name)s} becomes the subscription meta value, {@code %%} a single {@code %}.
     *
     * @throws IllegalArgumentException for a name the meta does not have (a filter error)
     */
    static byte[] varSubst(byte[] content, Map<String, String> meta) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 1 < s.length() && s.charAt(i + 1) == '%') {
                out.append('%');
                i++;
            } else if (c == '%' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int close = s.indexOf(")s", i + 2);
                if (close < 0) {
                    out.append(c);
                    continue;
                }
                String name = new String(s.substring(i + 2, close).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8);
                String value = meta.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("no meta value for " + name);
                }
                out.append(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                i = close + 1;
            } else {
                out.append(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
