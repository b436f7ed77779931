package org.pushpin.sockjs;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pushpin.proxy.SockJsExchange;

/**
 * Where a send request carries its payload: the body of an {@code xhr_send}; the form field {@code d} of a POSTed
 * {@code jsonp_send}; the query parameter {@code d} of a GET one.
 */
final class SockJsPayload {
    private SockJsPayload() {
    }

    static byte[] of(SockJsExchange ex, String kind) {
        if (ex.method().equals(HttpMethod.POST)) {
            if (kind.equals("xhr_send")) {
                return ex.body();
            }
            String form = new String(ex.body(), StandardCharsets.UTF_8);
            return param(new QueryStringDecoder(form, false).parameters().get("d"));
        }
        return param(new QueryStringDecoder(ex.uri()).parameters().get("d"));
    }

    private static byte[] param(List<String> values) {
        return values == null || values.isEmpty() ? new byte[0] : values.get(0).getBytes(StandardCharsets.UTF_8);
    }
}
