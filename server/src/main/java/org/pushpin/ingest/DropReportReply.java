package org.pushpin.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pushpin.metrics.ServerMetrics.Drop;
import org.pushpin.publish.DeliveryReport;

/**
 * The answer to {@code POST /publish?report=drops} (docs/publishing.md#drop-reports): always JSON, always 200 once
 * the items were accepted (a publish is never refused for what happened after), with what became of each item.
 * Reasons are named as {@code pushpin_dropped_total}'s {@code reason} label.
 * <pre>{"message":"Published","dropped":3,"discarded":0,
 *  "items":[{"receivers":5,"dropped":{"message_hwm":3}},{"receivers":5,"dropped":{}}]}</pre>
 */
final class DropReportReply {
    private DropReportReply() {
    }

    static ControlReply of(DeliveryReport report, int items) {
        StringBuilder b = new StringBuilder(64 + 48 * report.items().size());
        b.append("{\"message\":\"Published\",\"dropped\":").append(report.dropped())
                .append(",\"discarded\":").append(report.discarded()).append(",\"items\":[");
        boolean firstItem = true;
        for (DeliveryReport.Item i : report.items()) {
            b.append(firstItem ? "" : ",").append("{\"receivers\":").append(i.receivers()).append(",\"dropped\":{");
            firstItem = false;
            boolean firstReason = true;
            for (Drop d : Drop.values()) {
                Long n = i.dropped().get(d);
                if (n != null) {
                    b.append(firstReason ? "" : ",").append('"').append(name(d)).append("\":").append(n);
                    firstReason = false;
                }
            }
            b.append('}');
            if (i.discarded() != null) {
                b.append(",\"discarded\":\"").append(name(i.discarded())).append('"');
            }
            b.append('}');
        }
        b.append("]}\n");
        return new ControlReply(200, "OK", ControlApi.JSON, List.<Map.Entry<String, String>>of(), b.toString(), items,
                List.of(), false);
    }

    private static String name(Drop d) {
        return d.name().toLowerCase(Locale.ROOT);
    }
}
