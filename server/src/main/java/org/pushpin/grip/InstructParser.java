package org.pushpin.grip;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an origin's GRIP answer into an {@link Instruct}: first the {@code Grip-*} headers
 * (docs/grip.md#instruction-headers), then, when the media type is {@code application/grip-instruct}, the JSON body
 * (docs/grip.md#json-instruction-body). Checks run in Pushpin 1.36's order, so the first error reported is the one 1.36
 * reports, word for word.
 *
 * <p>Header names, values and the reason are byte strings (one char per octet), as Netty's codec reads them;
 * channel names, prev-ids, filters and meta are decoded from them as UTF-8.
 */
public final class InstructParser {
    private InstructParser() {
    }

    /**
     * @param originStatus     the origin's status code
     * @param originReason     the origin's reason phrase (byte string; may be empty)
     * @param originHeaders    the origin's headers in order
     * @param body             the origin's (buffered) body
     * @param requestUri       base for a relative next link: the URI this answer came from (the client's request
     *                         URI, or the next link that was fetched); null leaves the link unresolved
     * @param maxSubscriptions {@code connection_subscription_max}; extra channels are dropped with a warning
     * @throws InstructException with 1.36's message when the instruction is malformed
     */
    public static Instruct parse(int originStatus, String originReason, List<Map.Entry<String, String>> originHeaders,
            byte[] body, URI requestUri, int maxSubscriptions) throws InstructException {
        Objects.requireNonNull(originHeaders, "originHeaders");
        Objects.requireNonNull(body, "body");
        InstructDraft d = new InstructDraft();
        d.code = originStatus;
        d.reason = originReason == null ? "" : originReason;
        readHold(d, originHeaders);
        readChannels(d, originHeaders);
        readTimeout(d, originHeaders);
        d.exposeHeaders = HeaderValueParser.values(originHeaders, "Grip-Expose-Headers");
        readKeepAlive(d, originHeaders);
        readMeta(d, originHeaders);
        readStatus(d, originHeaders);
        readLinks(d, originHeaders, requestUri);
        d.headers = relayedHeaders(originHeaders, d.exposeHeaders);
        d.body = body;
        HeaderValueParser.Entry contentType = HeaderValueParser.parseFirst(originHeaders, "Content-Type");
        if (contentType != null && contentType.token().equals(GripDetector.INSTRUCT_TYPE)) {
            JsonInstruct.apply(d, originStatus, body);
        }
        return d.build(maxSubscriptions);
    }

    private static void readHold(InstructDraft d, List<Map.Entry<String, String>> headers) throws InstructException {
        String hold = HeaderValueParser.first(headers, "Grip-Hold");
        if (hold == null) {
            return;
        }
        switch (hold) {
            case "response" -> d.holdMode = HoldMode.RESPONSE;
            case "stream" -> d.holdMode = HoldMode.STREAM;
            default -> throw new InstructException("Grip-Hold must be set to either 'response' or 'stream'");
        }
    }

    private static void readChannels(InstructDraft d, List<Map.Entry<String, String>> headers) {
        for (HeaderValueParser.Entry e : HeaderValueParser.parseAll(headers, "Grip-Channel")) {
            String prevId = e.get("prev-id");
            List<String> filters = new ArrayList<>();
            for (HeaderValueParser.Param p : e.params().subList(1, e.params().size())) {
                // 1.36 matches "filter" case-sensitively, unlike "prev-id".
                if (p.name().equals("filter")) {
                    filters.add(p.value() == null ? "" : QtCompat.fromUtf8(p.value()));
                }
            }
            d.channels.add(new Channel(QtCompat.fromUtf8(e.token()), prevId == null ? null : QtCompat.fromUtf8(prevId),
                    filters));
        }
    }

    private static void readTimeout(InstructDraft d, List<Map.Entry<String, String>> headers)
            throws InstructException {
        String value = HeaderValueParser.first(headers, "Grip-Timeout");
        if (value == null) {
            return;
        }
        Integer t = QtCompat.parseInt(value);
        if (t == null) {
            throw new InstructException("failed to parse Grip-Timeout");
        }
        if (t < 0) {
            throw new InstructException("Grip-Timeout has invalid value");
        }
        d.timeout = t;
    }

    private static void readKeepAlive(InstructDraft d, List<Map.Entry<String, String>> headers)
            throws InstructException {
        HeaderValueParser.Entry e = HeaderValueParser.parseFirst(headers, "Grip-Keep-Alive");
        if (e == null) {
            return;
        }
        String data = e.token();
        if (data.isEmpty()) {
            throw new InstructException("Grip-Keep-Alive cannot be empty");
        }
        String mode = e.get("mode");
        if (mode == null || mode.isEmpty() || mode.equals("idle")) {
            d.keepAliveMode = KeepAlive.Mode.IDLE;
        } else if (mode.equals("interval")) {
            d.keepAliveMode = KeepAlive.Mode.INTERVAL;
        } else {
            throw new InstructException("no such Grip-Keep-Alive mode '" + QtCompat.fromUtf8(mode) + "'");
        }
        if (e.has("timeout")) {
            String t = e.get("timeout");
            Integer timeout = t == null ? null : QtCompat.parseInt(t);
            if (timeout == null) {
                throw new InstructException("failed to parse Grip-Keep-Alive timeout value");
            }
            if (timeout < 0) {
                throw new InstructException("Grip-Keep-Alive timeout has invalid value");
            }
            d.keepAliveTimeout = timeout;
        } else {
            d.keepAliveTimeout = Instruct.DEFAULT_KEEP_ALIVE_TIMEOUT;
        }
        String format = e.get("format");
        if (format == null || format.isEmpty() || format.equals("raw")) {
            d.keepAliveData = QtCompat.octets(data);
        } else if (format.equals("cstring")) {
            d.keepAliveData = unescapeCString(QtCompat.octets(data));
            if (d.keepAliveData == null) {
                throw new InstructException("failed to parse Grip-Keep-Alive cstring format");
            }
        } else if (format.equals("base64")) {
            d.keepAliveData = QtCompat.fromBase64(QtCompat.octets(data));
        } else {
            throw new InstructException("no such Grip-Keep-Alive format '" + QtCompat.fromUtf8(format) + "'");
        }
    }

    /** {@code \\ \r \n \xHH}; any other escaped char is dropped with its backslash; null if malformed. */
    static byte[] unescapeCString(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int n = 0; n < in.length; n++) {
            if (in[n] != '\\') {
                out.write(in[n]);
                continue;
            }
            if (++n >= in.length) {
                return null;
            }
            switch (in[n]) {
                case '\\' -> out.write('\\');
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 'x' -> {
                    if (n + 2 >= in.length) {
                        return null;
                    }
                    int hi = Character.digit(in[n + 1], 16);
                    int lo = Character.digit(in[n + 2], 16);
                    n += 2;
                    if (hi < 0 || lo < 0) {
                        return null;
                    }
                    out.write((hi << 4) | lo);
                }
                default -> {
                    // dropped, as in 1.36
                }
            }
        }
        return out.toByteArray();
    }

    private static void readMeta(InstructDraft d, List<Map.Entry<String, String>> headers) throws InstructException {
        for (HeaderValueParser.Entry e : HeaderValueParser.parseAll(headers, "Grip-Set-Meta", true)) {
            if (e.params().isEmpty()) {
                throw new InstructException("Grip-Set-Meta cannot be empty");
            }
            HeaderValueParser.Param p = e.params().get(0);
            d.meta.put(QtCompat.fromUtf8(p.name()), p.value() == null ? "" : QtCompat.fromUtf8(p.value()));
        }
    }

    private static void readStatus(InstructDraft d, List<Map.Entry<String, String>> headers)
            throws InstructException {
        String status = HeaderValueParser.first(headers, "Grip-Status");
        if (status == null || status.isEmpty()) {
            return;
        }
        int space = status.indexOf(' ');
        Integer code = QtCompat.parseInt(space < 0 ? status : status.substring(0, space));
        if (code == null || code < 0 || code > 999) {
            throw new InstructException("Grip-Status contains invalid status code");
        }
        d.code = code;
        d.reason = space < 0 ? "" : status.substring(space + 1);
        d.status = new GripStatus(code, d.reason.isEmpty() ? StatusReasons.reason(code) : d.reason);
    }

    private static void readLinks(InstructDraft d, List<Map.Entry<String, String>> headers, URI requestUri)
            throws InstructException {
        for (HeaderValueParser.Entry e : HeaderValueParser.parseAll(headers, "Grip-Link")) {
            // Only rel=next links are looked at (and validated) in 1.36; rel=gone came in 1.41. The last one wins.
            String rel = e.params().size() < 2 ? null : e.get("rel");
            if (!"next".equals(rel) && !"gone".equals(rel)) {
                continue;
            }
            String link = e.token();
            if (link.length() <= 2 || link.charAt(0) != '<' || link.charAt(link.length() - 1) != '>') {
                throw new InstructException("failed to parse Grip-Link value");
            }
            URI uri = LinkResolver.resolve(link.substring(1, link.length() - 1), requestUri);
            if (uri == null) {
                throw new InstructException("Grip-Link contains invalid link");
            }
            if (rel.equals("gone")) {
                d.goneLink = uri;
                continue;
            }
            int timeout = Instruct.DEFAULT_NEXT_LINK_TIMEOUT;
            if (e.has("timeout")) {
                String t = e.get("timeout");
                Integer parsed = t == null ? null : QtCompat.parseInt(t);
                if (parsed == null) {
                    throw new InstructException("failed to parse Grip-Link timeout value");
                }
                if (parsed < 0) {
                    throw new InstructException("Grip-Link timeout has invalid value");
                }
                timeout = parsed;
            }
            d.nextLink = new NextLink(uri, timeout);
        }
    }

    /** Origin headers minus every {@code Grip-*}, and minus the unexposed ones when Grip-Expose-Headers is set. */
    private static List<Map.Entry<String, String>> relayedHeaders(List<Map.Entry<String, String>> headers,
            List<String> expose) {
        List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> h : headers) {
            if (GripDetector.isGripHeader(h.getKey())) {
                continue;
            }
            if (!expose.isEmpty() && expose.stream().noneMatch(n -> n.equalsIgnoreCase(h.getKey()))) {
                continue;
            }
            out.add(Map.entry(h.getKey(), h.getValue()));
        }
        return out;
    }
}
