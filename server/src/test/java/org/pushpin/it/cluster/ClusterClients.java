package org.pushpin.it.cluster;

import java.time.Duration;
import org.pushpin.testing.HeldStream;
import org.pushpin.testing.Publish;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.Req;

/** What the cluster tests do as clients and publishers: streams held on the test target, stream items. */
final class ClusterClients {
    static final Duration WAIT = Duration.ofSeconds(20);

    private ClusterClients() {
    }

    /** A stream held on {@code on}; its subscription is in force (the target sends nothing before it is). */
    static HeldStream hold(PushpinServerExtension on, String channel) throws Exception {
        HeldStream s = HeldStream.open(on.httpPort(), Req.get("/stream?channel=" + channel));
        s.awaitText("[stream opened]\n", WAIT);
        return s;
    }

    static Publish.Item content(String channel, String text) {
        return Publish.item(channel).stream(text);
    }
}
