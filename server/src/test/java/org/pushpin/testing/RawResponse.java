package org.pushpin.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A response as the client read it off the socket.
 *
 * @param framing  how its end was found
 * @param complete false when the connection ended before the framing said the body ends
 */
public record RawResponse(
        String version,
        int status,
        String reason,
        List<Header> headers,
        byte[] body,
        Framing framing,
        boolean complete) {

    public enum Framing { CONTENT_LENGTH, CHUNKED, CLOSE, NO_BODY }

    public Optional<String> header(String name) {
        return Header.first(headers, name);
    }

    public List<String> headers(String name) {
        return Header.all(headers, name);
    }

    public boolean hasHeader(String name) {
        return headers.stream().anyMatch(h -> h.is(name));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The media type before any {@code ;}, lower-cased; empty when there is no Content-Type. */
    public String mediaType() {
        return header("Content-Type").map(v -> v.split(";")[0].trim().toLowerCase()).orElse("");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(version).append(' ').append(status).append(' ').append(reason).append('\n');
        headers.forEach(h -> sb.append(h).append('\n'));
        sb.append('[').append(framing).append(complete ? "" : ", truncated").append("] ");
        String text = bodyText();
        sb.append(text.length() > 300 ? text.substring(0, 300) + "...(" + body.length + " bytes)" : text);
        return sb.toString();
    }
}
