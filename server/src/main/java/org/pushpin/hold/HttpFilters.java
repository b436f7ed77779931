package org.pushpin.hold;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pushpin.grip.Channel;
import org.pushpin.hub.Published;
import org.pushpin.message.Action;
import org.pushpin.message.Format;
import org.pushpin.message.HttpResponseFormat;
import org.pushpin.message.HttpStreamFormat;
import org.pushpin.message.PublishItem;

/**
 * The {@code http-check} and {@code http-modify} subscription filters of Pushpin's 2.0 work (docs/grip.md#filters),
 * for one hold: before an item reaches the client, a POST goes to the subscription meta {@code url} (resolved against
 * the client's request URL) with {@code Sub-Meta} and {@code Pub-Meta} (JSON objects) and {@code Grip-Last} headers;
 * {@code http-modify} sends the content as the body. An answer other than 200 or 204 is an error; {@code Action:
 * drop} drops the item for this client; otherwise {@code http-modify}'s 200 body replaces the content (a 204 keeps
 * it). On an error the item is dropped, or, in debug mode, the hold ends with {@code filter error: ...}.
 *
 * <p>Items are handled one at a time in arrival order: while a call is out, later items of this hold (any channel)
 * wait here. Made on the first item that needs a call, so holds without these filters pay one null field.
 */
final class HttpFilters {
    static final String CHECK = "http-check";
    static final String MODIFY = "http-modify";
    /** Largest http-modify answer (Pushpin's default). */
    static final int MAX_ANSWER_BYTES = 100_000;
    /** Pushpin's request timeout for filters, which should be fast. */
    static final int TIMEOUT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(String channel, PublishItem item, Format format, Published published) {
    }

    private final Hold hold;
    private final OriginCall call;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(2);
    private boolean busy;

    HttpFilters(Hold hold, OriginCall call) {
        this.hold = hold;
        this.call = call;
    }

    /** Whether {@code filters} name one of these filters. */
    static boolean named(List<String> filters) {
        return filters.contains(CHECK) || filters.contains(MODIFY);
    }

    /** Whether items wait or a call is out: later items must queue behind them. */
    boolean busy() {
        return busy || !queue.isEmpty();
    }

    void add(String channel, PublishItem item, Format format, Published published) {
        queue.add(new Pending(channel, item, format, published));
        next();
    }

    private void next() {
        while (!busy) {
            Pending p = queue.poll();
            if (p == null) {
                return;
            }
            if (hold.ended()) {
                queue.clear();
                return;
            }
            List<String> names = new ArrayList<>();
            for (String f : hold.filtersOf(p.channel)) {
                if (f.equals(CHECK) || f.equals(MODIFY)) {
                    names.add(f);
                }
            }
            if (names.isEmpty()) {
                hold.deliverFiltered(p.channel, p.item, p.format, p.published);
            } else {
                busy = true;
                run(p, names, 0, p.format);
            }
        }
    }

    /** Runs filter {@code i} of {@code names} on {@code current} (the format as the filters before left it). */
    private void run(Pending p, List<String> names, int i, Format current) {
        if (i == names.size()) {
            finish(() -> hold.deliverFiltered(p.channel, p.item, current, p.published));
            return;
        }
        boolean modify = names.get(i).equals(MODIFY);
        String url = hold.meta.get("url");
        if (url == null || url.isEmpty()) {
            fail("missing url value");
            return;
        }
        URI dest;
        byte[] body;
        try {
            dest = call.base().resolve(url.replace(" ", "%20"));
            body = modify ? content(current) : new byte[0];
        } catch (IllegalArgumentException e) {
            fail("invalid url value");
            return;
        } catch (PublishedResponse.BuildException e) {
            fail(e.getMessage());
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Sub-Meta", json(hold.meta)));
        headers.add(Map.entry("Pub-Meta", json(p.item.meta())));
        for (Channel c : hold.instructChannels()) {
            if (c.prevId() != null) {
                headers.add(Map.entry("Grip-Last", c.name() + "; last-id=" + c.prevId()));
            }
        }
        call.post(hold.loop, hold.context.transport, dest, headers, body, MAX_ANSWER_BYTES, TIMEOUT_SECONDS, a -> {
            if (hold.ended()) {
                busy = false;
                queue.clear();
                return;
            }
            if (a.error() != null) {
                fail(a.error().startsWith("network response") ? a.error() : "network request failed: " + a.error());
            } else if (a.status() != 200 && a.status() != 204) {
                fail("unexpected network request status: code=" + a.status());
            } else if ("drop".equals(a.header("Action"))) {
                finish(() -> { });
            } else if (modify && a.status() == 200) {
                run(p, names, i + 1, replaced(current, a.body()));
            } else {
                run(p, names, i + 1, current);
            }
        });
    }

    private void finish(Runnable deliver) {
        busy = false;
        deliver.run();
        next();
    }

    /** Pushpin drops the item; in debug mode the hold ends with the reason. */
    private void fail(String message) {
        busy = false;
        if (hold.debug()) {
            queue.clear();
            hold.filterFailed("filter error: " + message);
            return;
        }
        next();
    }

    private byte[] content(Format f) throws PublishedResponse.BuildException {
        if (f instanceof HttpStreamFormat s) {
            return s.content();
        }
        if (f instanceof HttpResponseFormat r) {
            return r.body() != null ? r.body() : PublishedResponse.patch(hold.originBody(), r.bodyPatch());
        }
        return new byte[0];
    }

    private static Format replaced(Format f, byte[] content) {
        if (f instanceof HttpStreamFormat s) {
            return new HttpStreamFormat(s.action(), content, s.contentFilters());
        }
        if (f instanceof HttpResponseFormat r && r.action() == Action.SEND) {
            return new HttpResponseFormat(r.action(), r.code(), r.reason(), r.headers(), content, null,
                    r.contentFilters());
        }
        return f;
    }

    private static String json(Map<String, String> meta) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // strings only
        }
    }
}
