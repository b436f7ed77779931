package org.pushpin.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pushpin.message.PublishItem;
import org.pushpin.metrics.ServerMetrics.Drop;
import org.pushpin.publish.DeliveryReport;

/**
 * The answer to {@code POST /publish?feedback=1} (docs/delivery-feedback.md): always JSON, always 200 once the
 * items were accepted, with what became of each item at every subscriber, summed over the instances that answered.
 * <pre>{"message":"Published","instances":2,"complete":true,"items":[{"id":"a","channel":"c","receivers":5,
 *  "delivered":3,"filtered":1,"deferred":0,"dropped":{"slow_client":1},"complete":true}]}</pre>
 */
final class FeedbackReply {
    private FeedbackReply() {
    }

    static ControlReply of(DeliveryReport report, List<PublishItem> published) {
        StringBuilder b = new StringBuilder(96 + 160 * published.size());
        b.append("{\"message\":\"Published\",\"instances\":").append(report.instances())
                .append(",\"complete\":").append(report.complete()).append(",\"items\":[");
        for (int n = 0; n < published.size(); n++) {
            DeliveryReport.Item i = report.items().get(n);
            DeliveryReport.Outcomes o = i.outcomes();
            long hwm = i.dropped().getOrDefault(Drop.MESSAGE_HWM, 0L);
            b.append(n == 0 ? "{" : ",{");
            if (published.get(n).id() != null) {
                b.append("\"id\":");
                string(b, published.get(n).id());
                b.append(',');
            }
            b.append("\"channel\":");
            string(b, published.get(n).channel());
            b.append(",\"receivers\":").append(o.total() + hwm)
                    .append(",\"delivered\":").append(o.delivered())
                    .append(",\"filtered\":").append(o.filtered())
                    .append(",\"deferred\":").append(o.deferred())
                    .append(",\"dropped\":{");
            String sep = "";
            sep = reason(b, sep, "slow_client", o.slowClient());
            sep = reason(b, sep, "message_hwm", hwm);
            sep = reason(b, sep, "closed", o.closed());
            reason(b, sep, "filter_error", o.filterError());
            b.append('}');
            if (i.discarded() != null) {
                b.append(",\"discarded\":\"").append(i.discarded().name().toLowerCase(Locale.ROOT)).append('"');
            }
            b.append(",\"complete\":").append(i.complete()).append('}');
        }
        b.append("]}\n");
        return new ControlReply(200, "OK", ControlApi.JSON, List.<Map.Entry<String, String>>of(), b.toString(),
                published.size(), List.of(), false);
    }

    private static String reason(StringBuilder b, String sep, String name, long n) {
        if (n == 0) {
            return sep;
        }
        b.append(sep).append('"').append(name).append("\":").append(n);
        return ",";
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
