package org.pushpin.it;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pushpin.testing.*;

class ScratchTest {
    @Test
    void t() throws Exception {
        try (TestOrigin origin = new TestOrigin();
             RawOrigin stall = RawOrigin.stalling();
             RawOrigin garbage = RawOrigin.garbage();
             RawOrigin nothing = RawOrigin.closingWithoutResponse();
             RawOrigin mid = RawOrigin.closingMidBody();
             RawOrigin midc = RawOrigin.closingMidChunkedBody();
             PushpinServerExtension p = PushpinServerExtension.builder().routes("* " + origin.target(),
                "stall.test " + stall.target(), "garbage.test " + garbage.target(), "nothing.test " + nothing.target(),
                "mid.test " + mid.target(), "midc.test " + midc.target()).proxy("debug", "true").start()) {
            for (String host : new String[]{"garbage.test", "nothing.test", "mid.test", "midc.test", "stall.test"}) {
                try (RawClient c = RawClient.connect(p.httpPort())) {
                    c.send(Req.get("/x").host(host));
                    var o = c.outcome(Duration.ofSeconds(3));
                    String d = o instanceof RawClient.Responded r ? "RESP " + r.response().toString().replace("\n", " | ").replaceAll("a{20,}", "aaa...") : o.toString();
                    boolean closed = c.awaitClosed(Duration.ofSeconds(3));
                    System.out.println("CASE " + host + " => " + d + " closedAfter=" + closed);
                }
            }
            // client goes away while origin stalls: does the proxy close the origin connection?
            System.out.println("CASE stall accepted=" + stall.accepted());
            // client vanishes mid upload
            origin.onStream("/up", (h, body) -> { try { body.transferTo(java.io.OutputStream.nullOutputStream()); System.out.println("CASE origin upload completed?!"); } catch (java.io.IOException e) { System.out.println("CASE origin upload aborted: " + e); throw e; } return Reply.ok("x"); });
            try (RawClient c = RawClient.connect(p.httpPort())) {
                c.send(Req.post("/up").header("Content-Length", "1000000").head());
                c.send(new byte[200_000]);
                Thread.sleep(300);
            }
            Thread.sleep(3000);
            System.out.println("CASE origin open conns after upload abort: " + origin.openConnections());
            // client vanishes during slow response
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            origin.on("/slowdown", r -> Reply.status(200).chunked().streamed(-1, out -> {
                try { for (int i = 0; i < 100; i++) { out.write(new byte[1000]); out.flush(); Thread.sleep(100);} } catch (Exception e) { System.out.println("CASE origin slow write failed: " + e); done.set(true); return; }
                System.out.println("CASE origin slow write completed");
            }));
            try (RawClient c = RawClient.connect(p.httpPort())) {
                c.send(Req.get("/slowdown"));
                c.readHead();
                Thread.sleep(300);
            }
            Thread.sleep(4000);
            System.out.println("CASE slowdown aborted=" + done.get());
        }
    }
}
