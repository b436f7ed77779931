package org.pushpin.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pushpin.testing.PushpinServerExtension;

/**
 * Fuzzing of client WebSocket frames over real sockets: valid masked frames (text, binary, continuation, ping,
 * close, 7-bit, 16-bit and 64-bit lengths) mutated byte by byte and cut, sent after a real handshake, then the
 * client's side of the socket is shut. Whatever arrives, the server ends that connection within the test's time
 * (a close frame with an RFC 6455 code, or the echo and then the end), what it sent back is well-formed unmasked
 * frames, and afterwards another client is served. The cases come from a fixed seed, so a failure names its case
 * and reproduces. PARANOID leak detection (every test run) reports a buffer left unreleased on any of these paths.
 */
@Timeout(120)
class WsFrameFuzzTest {
    private static final long SEED = 0x5eed_f4a2L;
    private static final int CASES = 1000;

    @RegisterExtension
    static final PushpinServerExtension pushpin = PushpinServerExtension.builder().routes("* test").build();

    @Test
    void anyFrameBytesEndInACleanCloseAndOthersAreServed() throws Exception {
        assumeFalse(PushpinServerExtension.againstReference(), "the test target is ours");
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            byte[] frames = mutate(random, validFrames(random));
            byte[] answer = exchange(frames, "case " + i);
            String what = "case " + i + " (seed " + Long.toHexString(SEED) + "), sent " + hex(frames) + ", got "
                    + hex(answer);
            assertWellFormedServerFrames(answer, what);
        }
        byte[] echo = exchange(frame(0x81, "still served".getBytes(StandardCharsets.UTF_8)), "bystander");
        assertThat(new String(echo, StandardCharsets.ISO_8859_1)).contains("still served");
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 64)) + (b.length > 64 ? "..." : "");
    }

    /** Handshake, send {@code frames}, shut output, read all the server sends until it closes. */
    private static byte[] exchange(byte[] frames, String what) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), pushpin.httpPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).as(what).startsWith("HTTP/1.1 101");
            out.write(frames);
            out.flush();
            s.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(what + ": the server kept the connection open after the client's end", e);
            } catch (IOException reset) {
                // a reset after a close frame is a clean end too (the server closed with unread input)
            }
            return got.toByteArray();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Server frames: FIN/opcode known, never masked, lengths that add up; a close frame ends them. */
    private static void assertWellFormedServerFrames(byte[] b, String what) {
        int i = 0;
        while (i < b.length) {
            assertThat(b.length - i).as(what + ": a frame header").isGreaterThanOrEqualTo(2);
            int opcode = b[i] & 0x0f;
            assertThat(opcode).as(what + ": opcode").isIn(0, 1, 2, 8, 9, 10);
            assertThat(b[i + 1] & 0x80).as(what + ": a server frame is never masked").isZero();
            long len = b[i + 1] & 0x7f;
            int at = i + 2;
            if (len == 126) {
                len = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
                at += 2;
            } else if (len == 127) {
                len = 0;
                for (int k = 0; k < 8; k++) {
                    len = (len << 8) | (b[at + k] & 0xff);
                }
                at += 8;
            }
            assertThat(at + len).as(what + ": frame length within what was sent").isLessThanOrEqualTo(b.length);
            if (opcode == 8 && len >= 2) {
                int code = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
                // never one of the codes that must not be sent (RFC 6455 7.4.1); above 4999 RFC 6455 reserves
                // nothing, and a client's own code is echoed as it came (Netty's decoder takes 3000 and up)
                assertThat(code).as(what + ": close code").isGreaterThanOrEqualTo(1000).isNotIn(1004, 1005, 1006, 1015);
            }
            i = (int) (at + len);
        }
    }

    /** One to four valid client frames of assorted kinds and length encodings. */
    private static byte[] validFrames(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            switch (r.nextInt(6)) {
                case 0 -> out.writeBytes(frame(0x81, "hello é".getBytes(StandardCharsets.UTF_8)));
                case 1 -> out.writeBytes(frame(0x82, new byte[200 + r.nextInt(300)]));
                case 2 -> {
                    out.writeBytes(frame(0x01, "frag".getBytes(StandardCharsets.UTF_8)));
                    out.writeBytes(frame(0x80, "ment".getBytes(StandardCharsets.UTF_8)));
                }
                case 3 -> out.writeBytes(frame(0x89, "ping".getBytes(StandardCharsets.UTF_8)));
                case 4 -> out.writeBytes(frame(0x88, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}));
                default -> out.writeBytes(frame64(0x82, new byte[70]));
            }
        }
        return out.toByteArray();
    }

    /** A masked frame (mask key chosen so the payload reads as written: 0). */
    private static byte[] frame(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        }
        out.writeBytes(new byte[4]);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** The same with a 64-bit length field (legal for any length). */
    private static byte[] frame64(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.write(0x80 | 127);
        for (int k = 7; k >= 0; k--) {
            out.write((int) ((long) payload.length >> (8 * k)));
        }
        out.writeBytes(new byte[4]);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static final int[] SPECIAL = {0x00, 0xff, 0x80, 0x7f, 0x7e, 0x0f, 0x70, 0x88, 0x8a, 0x03, 0xc3, 0xe8};

    /** 0 to 4 bytes inserted, deleted or replaced (often in the header), and one time in four cut short. */
    private static byte[] mutate(Random r, byte[] b) {
        int edits = r.nextInt(5);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(b.length, 14));
            byte v = (byte) (r.nextBoolean() ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextInt(256));
            switch (r.nextInt(3)) {
                case 0 -> {
                    byte[] o = new byte[b.length + 1];
                    System.arraycopy(b, 0, o, 0, at);
                    o[at] = v;
                    System.arraycopy(b, at, o, at + 1, b.length - at);
                    b = o;
                }
                case 1 -> {
                    byte[] o = new byte[b.length - 1];
                    System.arraycopy(b, 0, o, 0, at);
                    System.arraycopy(b, at + 1, o, at, b.length - at - 1);
                    b = o;
                }
                default -> b[at] = v;
            }
        }
        if (r.nextInt(4) == 0 && b.length > 1) {
            b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
        }
        return b;
    }
}
