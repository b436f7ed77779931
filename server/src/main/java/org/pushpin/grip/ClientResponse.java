package org.pushpin.grip;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The response as the client should see it when nothing is held back: sent at once for no hold and for a stream
 * hold (before published content), and on timeout for a response hold.
 *
 * <p>Header names and values and the reason are byte strings (one char per octet). {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Keep-Alive} and {@code Content-Encoding} are never present:
 * the server frames the body itself.
 *
 * @param code    status code, 0–999
 * @param reason  reason phrase, never empty
 * @param headers headers in order, duplicates kept
 * @param body    body bytes
 */
public record ClientResponse(int code, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
    public ClientResponse {
        Objects.requireNonNull(reason, "reason");
        headers = List.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body length, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientResponse r && code == r.code && reason.equals(r.reason)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, reason, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "ClientResponse[code=" + code + ", reason=" + reason + ", headers=" + headers + ", body="
                + body.length + " bytes]";
    }
}
