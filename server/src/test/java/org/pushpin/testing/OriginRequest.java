package org.pushpin.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A request as the test origin received it.
 *
 * @param connection   id of the origin-side connection it came on (ids grow for the origin's lifetime)
 * @param uri          the request target exactly as sent
 * @param headers      header lines in order, duplicates kept
 * @param body         the decoded body (empty for streaming handlers, which read it themselves)
 * @param bodyComplete false when the connection ended before the body did
 * @param chunked      whether the body came chunked (else Content-Length or none)
 */
public record OriginRequest(
        int connection,
        String method,
        String uri,
        String version,
        List<Header> headers,
        byte[] body,
        boolean bodyComplete,
        boolean chunked) {

    public String path() {
        int q = uri.indexOf('?');
        return q >= 0 ? uri.substring(0, q) : uri;
    }

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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(connection).append(' ').append(method).append(' ').append(uri).append(' ')
                .append(version).append('\n');
        headers.forEach(h -> sb.append(h).append('\n'));
        sb.append('(').append(body.length).append(" body bytes").append(chunked ? ", chunked" : "")
                .append(bodyComplete ? "" : ", incomplete").append(')');
        return sb.toString();
    }
}
