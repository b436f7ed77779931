package org.pushpin.it.ws;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.pushpin.testing.ScriptProcess;

/** npm {@code ws} (8.x) as client and origin of a passthrough WebSocket; see {@link RealClientPassthroughTests}. */
class RealClientNodeWsTest extends RealClientPassthroughTests {
    @BeforeAll
    static void startAll() throws Exception {
        start(ScriptProcess.node("ws-echo-origin.mjs", List.of("ws")));
    }

    @Override
    ScriptProcess client(String url, String... subprotocols) throws Exception {
        String[] args = new String[subprotocols.length + 1];
        args[0] = url;
        System.arraycopy(subprotocols, 0, args, 1, subprotocols.length);
        return ScriptProcess.node("ws-client.mjs", List.of("ws"), args);
    }
}
