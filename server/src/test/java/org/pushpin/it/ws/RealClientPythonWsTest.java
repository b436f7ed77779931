package org.pushpin.it.ws;

import org.junit.jupiter.api.BeforeAll;
import org.pushpin.testing.ScriptProcess;

/** Debian's python3-websockets as client and origin of a passthrough WebSocket; see {@link RealClientPassthroughTests}. */
class RealClientPythonWsTest extends RealClientPassthroughTests {
    @BeforeAll
    static void startAll() throws Exception {
        start(ScriptProcess.python("ws_peer.py", "echo-origin"));
    }

    @Override
    ScriptProcess client(String url, String... subprotocols) throws Exception {
        String[] args = new String[subprotocols.length + 2];
        args[0] = "client";
        args[1] = url;
        System.arraycopy(subprotocols, 0, args, 2, subprotocols.length);
        return ScriptProcess.python("ws_peer.py", args);
    }
}
