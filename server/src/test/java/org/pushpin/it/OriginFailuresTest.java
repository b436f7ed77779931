package org.pushpin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pushpin.testing.Bytes;
import org.pushpin.testing.HttpWire;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.RawClient;
import org.pushpin.testing.RawClient.Outcome;
import org.pushpin.testing.RawClient.Responded;
import org.pushpin.testing.RawOrigin;
import org.pushpin.testing.RawResponse;
import org.pushpin.testing.Reply;
import org.pushpin.testing.Req;
import org.pushpin.testing.TestOrigin;

/**
 * Origins that refuse, stall, talk garbage or break off (docs/compatibility.md#error-answers). The client gets a 502
 * when nothing was sent yet, a cut-off response when the failure comes later, and other clients never notice.
 */
@Timeout(30)
class OriginFailuresTest {
    static final String PROXY_ERROR = "Error while proxying to origin.\n";

    @RegisterExtension
    @Order(1)
    static final TestOrigin origin = new TestOrigin();

    static final RawOrigin stalling = RawOrigin.stalling();
    static final RawOrigin garbage = RawOrigin.garbage();
    static final RawOrigin silentClose = RawOrigin.closingWithoutResponse();
    static final int refusedPort = RawOrigin.closedPort();

    @RegisterExtension
    @Order(2)
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder()
            .routes("* " + origin.target(),
                    "refused.test 127.0.0.1:" + refusedPort,
                    "stall.test " + stalling.target(),
                    "garbage.test " + garbage.target(),
                    "silent-close.test " + silentClose.target())
            .build();

    @org.junit.jupiter.api.AfterAll
    static void closeRawOrigins() {
        stalling.close();
        garbage.close();
        silentClose.close();
    }

    @AfterEach
    void serverStillServes() throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/still-serving"));
        assertThat(resp.status()).isEqualTo(200);
        assertThat(resp.bodyText()).isEqualTo("origin GET /still-serving");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused.test", "garbage.test", "silent-close.test"})
    void originFailureBeforeAnyResponseGives502(String host) throws Exception {
        RawResponse resp = RawClient.exchange(pushpin.httpPort(), Req.get("/fail/before").host(host));

        assertThat(resp.status()).isEqualTo(502);
        assertThat(resp.mediaType()).isEqualTo("text/plain");
        assertThat(resp.bodyText()).isEqualTo(PROXY_ERROR);
    }

    @Test
    void keepAliveConnectionSurvivesA502() throws Exception {
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            assertThat(c.exchange(Req.get("/fail/ka").host("garbage.test")).status()).isEqualTo(502);
            assertThat(c.exchange(Req.get("/fail/ka-after")).status()).isEqualTo(200);
        }
    }

    @Test
    void stalledOriginDoesNotHoldUpOtherClients() throws Exception {
        try (RawClient stalled = RawClient.connect(pushpin.httpPort())) {
            stalled.send(Req.get("/fail/stall").host("stall.test"));
            org.pushpin.testing.Await.until(Duration.ofSeconds(5), () -> stalling.accepted() > 0,
                    "request reached the stalling origin");

            for (int i = 0; i < 5; i++) {
                assertThat(RawClient.exchange(pushpin.httpPort(), Req.get("/fail/meanwhile/" + i)).status())
                        .isEqualTo(200);
            }
            assertThat(stalled.outcome(Duration.ofMillis(200))).as("the stalled client still waits")
                    .isInstanceOf(RawClient.Silent.class);
        }
    }

    /** An origin that declares (or chunks) 200 KB, sends 50 KB, waits until the client has seen them, breaks off. */
    private static void breakOffMidBody(String path, boolean chunked, CountDownLatch clientSawBody) {
        Reply reply = Reply.status(200).header("Content-Type", "application/octet-stream")
                .streamed(200_000, out -> {
                    out.write(Bytes.random(50_000, 11));
                    out.flush();
                    try {
                        clientSawBody.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("origin breaks off on purpose");
                });
        origin.on(path, chunked ? reply.chunked() : reply);
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    void originBreakingOffMidBodyCutsTheClientResponse(boolean chunked) throws Exception {
        // 1.36 ends a chunked response cleanly (the client cannot tell it is cut) and leaves a Content-Length
        // response hanging; we follow RFC 9112 §8: the client must see the message as incomplete, and no hang
        assumeFalse(PushpinServerExtension.againstReference(), "1.36 hides the truncation or hangs");
        CountDownLatch clientSawBody = new CountDownLatch(1);
        breakOffMidBody("/fail/mid-body", chunked, clientSawBody);
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/fail/mid-body"));
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            InputStream body = c.body(head, "GET");
            assertThat(body.readNBytes(10_000)).hasSize(10_000);
            clientSawBody.countDown();

            // the rest: at most what the origin sent, then the end of the connection, never a clean finish
            long more = 0;
            boolean truncated = false;
            try {
                more = body.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (HttpWire.TruncatedException | java.net.SocketException e) {
                truncated = true;
            }
            assertThat(truncated).as("response ended cleanly after %s more bytes", more).isTrue();
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("connection closed").isTrue();
        } finally {
            clientSawBody.countDown();
        }
    }

    @Test
    void originBreakingOffMidBodyOfAnHttp10ResponseClosesTheConnection() throws Exception {
        CountDownLatch clientSawBody = new CountDownLatch(1);
        breakOffMidBody("/fail/mid-body-10", true, clientSawBody);
        try (RawClient c = RawClient.connect(pushpin.httpPort())) {
            c.send(Req.get("/fail/mid-body-10").http10());
            assertThat(c.readHead().status()).isEqualTo(200);
            clientSawBody.countDown();
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("connection closed, no hang").isTrue();
        } finally {
            clientSawBody.countDown();
        }
    }

    @Test
    void originSendingTwoResponsesForOneRequestDoesNotLeakTheSecond() throws Exception {
        try (RawOrigin twice = RawOrigin.replyingThenStall(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
             PushpinServerExtension server = PushpinServerExtension.builder()
                     .routes("* " + twice.target())
                     .start();
             RawClient c = RawClient.connect(server.httpPort())) {
            RawResponse first = c.exchange(Req.get("/fail/twice"));
            assertThat(first.bodyText()).isEqualTo("first");

            c.send(Req.get("/fail/twice-next"));
            Outcome next = c.outcome(Duration.ofSeconds(3));
            if (next instanceof Responded r) {
                assertThat(r.response().bodyText()).as("an unsolicited origin response was relayed")
                        .isNotEqualTo("second");
            }
        }
    }
}
