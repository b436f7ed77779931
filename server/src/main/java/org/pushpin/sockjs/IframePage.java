package org.pushpin.sockjs;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code <base>/iframe*.html}: the page SockJS clients load for their iframe-based transports, which loads the
 * SockJS client from {@code sockjs_url}. Cached for a year under an ETag (the MD5 of the page, as Pushpin makes
 * it); a matching {@code If-None-Match} gets 304.
 */
final class IframePage {
    private record Page(String url, byte[] html, String etag) {
    }

    private final Supplier<String> url;
    private volatile Page page;

    IframePage(Supplier<String> url) {
        this.url = url;
    }

    FullHttpResponse answer(ByteBufAllocator alloc, HttpHeaders request) {
        Page p = current();
        boolean same = p.etag.equals(request.get(HttpHeaderNames.IF_NONE_MATCH));
        FullHttpResponse r = same
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                        alloc.buffer(0))
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        alloc.buffer(p.html.length).writeBytes(p.html));
        r.headers().set(HttpHeaderNames.ETAG, p.etag);
        if (!same) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=31536000");
        }
        SockJsAnswers.common(r.headers(), request);
        return r;
    }

    private Page current() {
        String u = url.get();
        Page p = page;
        if (p == null || !p.url.equals(u)) {
            byte[] html = html(u).getBytes(StandardCharsets.UTF_8);
            p = new Page(u, html, '"' + SockJsAnswers.md5Hex(html) + '"');
            page = p;
        }
        return p;
    }

    private static String html(String scriptUrl) {
        return """
                <!DOCTYPE html>
                <html>
                <head>
                  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
                  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
                  <script src="%s"></script>
                  <script>
                    document.domain = document.domain;
                    SockJS.bootstrap_iframe();
                  </script>
                </head>
                <body>
                  <h2>Don't panic!</h2>
                  <p>This is a SockJS hidden iframe. It's used for cross domain magic.</p>
                </body>
                </html>
                """.formatted(scriptUrl);
    }
}
