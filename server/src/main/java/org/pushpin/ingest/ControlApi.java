package org.pushpin.ingest;

import java.util.List;
import java.util.Map;
import org.pushpin.grip.HeaderValueParser;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishItem;
import org.pushpin.message.PublishParser;

/**
 * The control API's routes (docs/publishing.md#http-control-api), as Pushpin 1.36's handler answers them. Only the
 * 200 answers of {@code /publish} and {@code /recover} follow the negotiated type; every other answer is text/plain,
 * except {@code /health} (ours, not Pushpin's: {@link ControlHealth}), which is always JSON and ignores Accept.
 * Plain Java.
 */
final class ControlApi {
    static final String JSON = "application/json";
    private static final String TEXT = "text/plain";

    private ControlApi() {
    }

    /** A query {@code /publish} takes (ours, not Pushpin's): answer with what became of the items. */
    static final String REPORT_DROPS = "report=drops";

    static ControlReply handle(ControlRequest req, ControlHealth health) {
        String path = req.uri();
        // Only /publish takes a query, and only ours (report=..., feedback=...): any other query stays part of the
        // path, which is then not found, exactly as in Pushpin.
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0 && (path.startsWith("/publish?") || path.startsWith("/publish/?"))
                && PublishQuery.ours(path.substring(q + 1))) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        // "/" itself stays "/"; only one trailing slash goes, so "//" is "/" and "/publish//" is not found.
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/health")) {
            return switch (req.method()) {
                case "GET" -> health.reply(false);
                case "HEAD" -> health.reply(true);
                default -> notAllowed(req.method(), "GET, HEAD");
            };
        }
        String type = TEXT;
        if (HeaderValueParser.contains(req.headers(), "Accept")) {
            type = negotiate(req.headers());
            if (type == null) {
                return ControlReply.text(406, "Not Acceptable",
                        "Not Acceptable. Supported formats are text/plain and application/json.\n");
            }
        }
        return switch (path) {
            case "/" -> ControlReply.text(200, "OK", "Pushpin API\n");
            case "/publish" -> req.method().equals("POST") ? publish(req.body(), type, query)
                    : notAllowed(req.method(), "POST");
            case "/recover" -> req.method().equals("POST")
                    ? new ControlReply(200, "OK", type, List.of(), message("Updated", type), -1, List.of(), true)
                    : notAllowed(req.method(), "POST");
            default -> ControlReply.text(404, "Not Found", "Not Found\n");
        };
    }

    /** Every Accept entry is looked at and the last supported one wins; null when none is supported. */
    private static String negotiate(List<Map.Entry<String, String>> headers) {
        String type = null;
        for (HeaderValueParser.Entry e : HeaderValueParser.parseAll(headers, "Accept")) {
            switch (e.token()) {
                case "text/plain", "text/*", "*/*", "*" -> type = TEXT;
                case "application/json", "application/*" -> type = JSON;
                default -> {
                    // not ours: skipped
                }
            }
        }
        return type;
    }

    private static ControlReply publish(byte[] body, String type, String query) {
        PublishQuery asked = query == null ? null : PublishQuery.parse(query);
        if (asked != null && asked.error() != null) {
            return ControlReply.text(400, "Bad Request", asked.error() + "\n");
        }
        List<PublishItem> items;
        try {
            items = PublishParser.parseRequest(body);
        } catch (PublishFormatException e) {
            return ControlReply.text(400, "Bad Request", e.getMessage() + "\n");
        }
        return new ControlReply(200, "OK", type, List.of(), message("Published", type), items.size(), items, false,
                false, asked != null && asked.reportDrops(), asked == null ? 0 : asked.feedbackWait());
    }

    private static String message(String text, String type) {
        return type.equals(JSON) ? "{\"message\":\"" + text + "\"}\n" : text + "\n";
    }

    private static ControlReply notAllowed(String method, String allow) {
        return new ControlReply(405, "Method Not Allowed", null, List.of(Map.entry("Allow", allow)),
                "Method not allowed: " + method + ".\n", -1, List.of(), false);
    }
}
