package org.pushpin.grip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code application/websocket-events} body format of WebSocket-over-HTTP: events one after the other, each
 * {@code TYPE\r\n} (no content) or {@code TYPE <content length in hex>\r\n<content>\r\n}.
 *
 * <p>Reading follows Pushpin where it is lenient for a reason (a type it does not know is kept for the caller to
 * ignore; the last event's closing CRLF may be missing) and is strict where Pushpin would read garbage: the length
 * must be plain hex digits, the content must be all there, and a CRLF must follow it when more comes.
 */
public final class WebSocketEvents {
    public static final String CONTENT_TYPE = "application/websocket-events";
    /** Eight hex digits hold every length an int can; more is never a real body. */
    private static final int MAX_LENGTH_DIGITS = 8;

    private WebSocketEvents() {
    }

    /** Reads every event of {@code in[offset, offset + length)}. */
    public static List<WebSocketEvent> decode(byte[] in, int offset, int length) throws WebSocketEventsException {
        if (offset < 0 || length < 0 || offset + length > in.length || offset + length < 0) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + in.length);
        }
        List<WebSocketEvent> out = new ArrayList<>();
        int end = offset + length;
        int at = offset;
        while (at < end) {
            int eol = indexOfCrlf(in, at, end);
            if (eol < 0) {
                throw error(out, "no CRLF after the type line");
            }
            int space = indexOf(in, (byte) ' ', at, eol);
            if (space < 0) {
                out.add(new WebSocketEvent(latin1(in, at, eol), null));
                at = eol + 2;
                continue;
            }
            String type = latin1(in, at, space);
            int contentLength = hexLength(in, space + 1, eol, out);
            int start = eol + 2;
            if (contentLength > end - start) {
                throw error(out, type + " announces " + contentLength + " bytes of content, "
                        + (end - start) + " follow");
            }
            byte[] content = new byte[contentLength];
            System.arraycopy(in, start, content, 0, contentLength);
            at = start + contentLength;
            if (at < end && (end - at < 2 || in[at] != '\r' || in[at + 1] != '\n')) {
                throw error(out, "no CRLF after the content of " + type);
            }
            out.add(new WebSocketEvent(type, content));
            at = Math.min(end, at + 2);
        }
        return out;
    }

    public static List<WebSocketEvent> decode(byte[] in) throws WebSocketEventsException {
        return decode(in, 0, in.length);
    }

    private static int hexLength(byte[] in, int from, int to, List<WebSocketEvent> read)
            throws WebSocketEventsException {
        int digits = to - from;
        if (digits < 1 || digits > MAX_LENGTH_DIGITS) {
            throw error(read, "bad content length \"" + latin1(in, from, to) + "\"");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(in[i], 16);
            if (d < 0) {
                throw error(read, "bad content length \"" + latin1(in, from, to) + "\"");
            }
            v = (v << 4) | d;
        }
        if (v > Integer.MAX_VALUE) {
            throw error(read, "content length " + v + " too large");
        }
        return (int) v;
    }

    private static WebSocketEventsException error(List<WebSocketEvent> read, String what) {
        return new WebSocketEventsException("bad websocket-events body at event " + (read.size() + 1) + ": " + what);
    }

    private static int indexOfCrlf(byte[] in, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String latin1(byte[] in, int from, int to) {
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** The bytes {@link #encode} writes for {@code event}. */
    public static int encodedSize(WebSocketEvent event) {
        int n = event.type().length() + 2;
        byte[] c = event.content();
        if (c != null) {
            n += 1 + Integer.toHexString(c.length).length() + c.length + 2;
        }
        return n;
    }

    /** Writes {@code event} into {@code out} at {@code offset}; returns the offset after it. */
    public static int encode(WebSocketEvent event, byte[] out, int offset) {
        int at = putLatin1(event.type(), out, offset);
        byte[] c = event.content();
        if (c != null) {
            out[at++] = ' ';
            at = putLatin1(Integer.toHexString(c.length), out, at);
            out[at++] = '\r';
            out[at++] = '\n';
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        out[at++] = '\r';
        out[at++] = '\n';
        return at;
    }

    /** The body of {@code events}. */
    public static byte[] encode(List<WebSocketEvent> events) {
        int size = 0;
        for (WebSocketEvent e : events) {
            size += encodedSize(e);
        }
        byte[] out = new byte[size];
        int at = 0;
        for (WebSocketEvent e : events) {
            at = encode(e, out, at);
        }
        return out;
    }

    private static int putLatin1(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }
}
