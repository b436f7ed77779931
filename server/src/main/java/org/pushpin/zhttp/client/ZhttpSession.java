package org.pushpin.zhttp.client;

import java.util.Arrays;
import org.pushpin.zhttp.ZhttpCodec;
import org.pushpin.zhttp.ZhttpRequestPacket;
import org.pushpin.zhttp.ZhttpResponsePacket;
import org.pushpin.zhttp.ZhttpType;

/**
 * The requesting side of one ZHTTP session, as Pushpin's client plays it; lives on its service's thread.
 *
 * <p>Request mode: one packet with the whole request, one packet back with the whole response (anything else is
 * a protocol error). Stream mode: the first packet (with {@code stream}, our {@value #WINDOW} bytes of credit and
 * up to that much body) goes to any service instance; its first answer says which instance ({@code from}) holds
 * the session, and every later packet goes there. Both sides number their packets from 0: one out of order ends
 * the session (we cancel it). The service's body may not exceed the credit we gave; credit comes back as the
 * receiver takes the body. Our request body goes out as the service's credits allow. While the session lives we
 * send a keep-alive every {@value #KEEP_ALIVE_MILLIS} ms, and a session that heard nothing for the expiry time is
 * over: nobody answers.
 */
final class ZhttpSession {
    /** Body bytes we let the service send ahead of the receiver (Pushpin's ideal credits). */
    static final int WINDOW = 200_000;
    /** The largest response body taken in request mode, and the largest request body sent in one packet. */
    static final int REQUEST_MODE_MAX = 1_000_000;
    static final long KEEP_ALIVE_MILLIS = 45_000;
    static final String UNREACHABLE = "Error: zhttp service for route is unreachable.";

    /** Where the session's packets go. */
    interface Wire {
        /** To any instance (PUSH in stream mode, the DEALER in request mode); false when it cannot go now. */
        boolean first(byte[] packet);

        /** To the instance {@code address} (stream mode's ROUTER). */
        void to(byte[] address, byte[] packet);
    }

    private final byte[] from;
    private final byte[] id;
    private final boolean requestMode;
    private final ZhttpRequestSpec spec;
    private final ZhttpListener listener;
    private final long expireMillis;
    private int outSeq;
    private int inSeq;
    private byte[] toAddress;
    private int outCredits;
    private int bodySent;
    private int creditsOwed;
    private boolean headSeen;
    private long expiresAt;
    private long keepAliveAt;
    private boolean done;

    ZhttpSession(byte[] from, byte[] id, boolean requestMode, ZhttpRequestSpec spec, ZhttpListener listener,
                 long expireMillis) {
        this.from = from;
        this.id = id;
        this.requestMode = requestMode;
        this.spec = spec;
        this.listener = listener;
        this.expireMillis = expireMillis;
    }

    boolean done() {
        return done;
    }

    /** The first packet; null (and the session failed) when it cannot be made. */
    byte[] firstPacket(long now) {
        expiresAt = now + expireMillis;
        byte[] body = spec.body();
        if (requestMode) {
            return ZhttpCodec.encode(new ZhttpRequestPacket(from, id, -1, ZhttpType.DATA,
                    spec.method(), spec.uri(), spec.headers(), body, false, false, -1, REQUEST_MODE_MAX, false,
                    spec.ignorePolicies()));
        }
        bodySent = Math.min(body.length, WINDOW);
        byte[] part = bodySent == body.length ? body : Arrays.copyOf(body, bodySent);
        return ZhttpCodec.encode(new ZhttpRequestPacket(from, id, outSeq++, ZhttpType.DATA,
                spec.method(), spec.uri(), spec.headers(), part, bodySent < body.length, true, WINDOW, -1, true,
                spec.ignorePolicies()));
    }

    /**
     * A packet for this session; {@code seq} is its number for this id (-1 when absent). The first data packet's
     * head is always followed by a body call (empty perhaps), so the receiver gets both together.
     */
    void onPacket(ZhttpResponsePacket p, int seq, long now, Wire wire) {
        if (done) {
            return;
        }
        if (!requestMode && toAddress == null) {
            if (p.from() == null && p.type() != ZhttpType.ERROR && p.type() != ZhttpType.CANCEL) {
                fail(wire, ZhttpFailure.PROTOCOL, "Error: zhttp service's first answer has no from field.");
                return;
            }
            toAddress = p.from();
            keepAliveAt = now + KEEP_ALIVE_MILLIS;
        }
        if (p.type() == ZhttpType.ERROR) {
            end(ZhttpFailure.PROTOCOL, "Error: zhttp service answered with error "
                    + (p.condition() == null ? "(no condition)" : p.condition()) + ".");
            return;
        }
        if (p.type() == ZhttpType.CANCEL) {
            end(ZhttpFailure.PROTOCOL, "Error: zhttp service cancelled the request.");
            return;
        }
        if (!requestMode && seq != inSeq) {
            fail(wire, ZhttpFailure.PROTOCOL, "Error: zhttp service's packet out of sequence (seq " + seq
                    + ", expected " + inSeq + ").");
            return;
        }
        inSeq++;
        expiresAt = now + expireMillis;
        if (requestMode && (p.type() != ZhttpType.DATA || p.more())) {
            end(ZhttpFailure.PROTOCOL, "Error: zhttp service's answer in request mode is not one whole response.");
            return;
        }
        if (p.credits() > 0) {
            outCredits += p.credits();
        }
        if (p.type() == ZhttpType.DATA) {
            boolean first = !headSeen;
            if (first) {
                if (p.code() < 100 || p.code() > 999) {
                    fail(wire, ZhttpFailure.PROTOCOL, "Error: zhttp service's response has no valid code.");
                    return;
                }
                headSeen = true;
                listener.onHead(p.code(), p.reason() == null ? "" : p.reason(), p.headers());
            }
            if (!p.more()) {
                done = true;
            }
            if (first || p.body().length > 0 || done) {
                listener.onBody(p.body(), done);
            }
        }
        if (!done) {
            sendBody(wire);
            sendCredits(wire);
        }
    }

    /** Sends what of our body the service's credits allow. */
    private void sendBody(Wire wire) {
        byte[] body = spec.body();
        while (!requestMode && toAddress != null && bodySent < body.length && outCredits > 0) {
            int n = Math.min(body.length - bodySent, outCredits);
            byte[] part = Arrays.copyOfRange(body, bodySent, bodySent + n);
            bodySent += n;
            outCredits -= n;
            wire.to(toAddress, ZhttpCodec.encode(ZhttpRequestPacket.body(from, id, outSeq++, part,
                    bodySent < body.length, -1)));
        }
    }

    /** The receiver took {@code bytes} of the body. */
    void credit(int bytes, Wire wire) {
        creditsOwed += bytes;
        if (!done) {
            sendCredits(wire);
        }
    }

    private void sendCredits(Wire wire) {
        if (!requestMode && toAddress != null && creditsOwed > 0) {
            int n = creditsOwed;
            creditsOwed = 0;
            wire.to(toAddress, ZhttpCodec.encode(ZhttpRequestPacket.control(from, id, outSeq++,
                    ZhttpType.CREDIT, n)));
        }
    }

    /** The receiver gave up: the service hears of it (stream mode), the listener hears nothing more. */
    void cancel(Wire wire) {
        if (!done) {
            done = true;
            sendCancel(wire);
        }
    }

    /** The session's clock: expiry and keep-alives. */
    void tick(long now, Wire wire) {
        if (done) {
            return;
        }
        if (now >= expiresAt) {
            fail(wire, ZhttpFailure.UNREACHABLE, UNREACHABLE);
            return;
        }
        if (!requestMode && toAddress != null && now >= keepAliveAt) {
            keepAliveAt = now + KEEP_ALIVE_MILLIS;
            wire.to(toAddress, ZhttpCodec.encode(ZhttpRequestPacket.control(from, id, outSeq++,
                    ZhttpType.KEEP_ALIVE, -1)));
        }
    }

    /** Ends the session, telling the service (stream mode) and the listener. */
    void fail(Wire wire, ZhttpFailure failure, String detail) {
        if (!done) {
            sendCancel(wire);
            end(failure, detail);
        }
    }

    private void sendCancel(Wire wire) {
        if (!requestMode && toAddress != null) {
            wire.to(toAddress, ZhttpCodec.encode(ZhttpRequestPacket.control(from, id, outSeq++,
                    ZhttpType.CANCEL, -1)));
        }
    }

    private void end(ZhttpFailure failure, String detail) {
        done = true;
        listener.onFailure(failure, detail);
    }
}
