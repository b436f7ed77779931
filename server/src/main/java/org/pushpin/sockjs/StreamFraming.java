package org.pushpin.sockjs;

/**
 * How the SockJS streaming transports carry frames on one long response (the framing alone; the session decides
 * what to send and when): {@code xhr_streaming} (a 2 KiB prelude of {@code h} so that old browsers start handing
 * over data, then one frame per line), {@code eventsource} (one {@code data:} event per frame) and {@code htmlfile}
 * (a page that calls the client's callback from one script element per frame).
 */
enum StreamFraming {
    XHR_STREAMING("application/javascript; charset=UTF-8"),
    EVENTSOURCE("text/event-stream"),
    HTMLFILE("text/html; charset=UTF-8");

    /** Bytes one streaming response carries before it is ended, so the client opens a new one (as SockJS). */
    static final int RESPONSE_LIMIT = 128 * 1024;

    private static final String XHR_PRELUDE = "h".repeat(2048) + "\n";

    final String contentType;

    StreamFraming(String contentType) {
        this.contentType = contentType;
    }

    /** The transport's name in the URL, or null. */
    static StreamFraming of(String kind) {
        return switch (kind) {
            case "xhr_streaming" -> XHR_STREAMING;
            case "eventsource" -> EVENTSOURCE;
            case "htmlfile" -> HTMLFILE;
            default -> null;
        };
    }

    /** Whether a client opens a session with this transport using {@code method}. */
    boolean opensWith(String method) {
        return this == XHR_STREAMING ? method.equals("POST") : method.equals("GET");
    }

    /** What the response starts with; {@code callback} is the htmlfile's (a checked plain name). */
    String prelude(String callback) {
        return switch (this) {
            case XHR_STREAMING -> XHR_PRELUDE;
            case EVENTSOURCE -> "\r\n";
            case HTMLFILE -> htmlPrelude(callback);
        };
    }

    /** One frame ({@code o}, {@code h}, {@code a[...]}, {@code c[...]}) as this transport sends it. */
    String frame(String frame) {
        return switch (this) {
            case XHR_STREAMING -> frame + "\n";
            case EVENTSOURCE -> "data: " + frame + "\r\n\r\n";
            case HTMLFILE -> "<script>\np(" + SockJsFrames.quote(frame) + ");\n</script>\r\n";
        };
    }

    private static String htmlPrelude(String callback) {
        String page = """
                <!doctype html>
                <html><head>
                  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
                  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
                </head><body><h2>Don't panic!</h2>
                  <script>
                    document.domain = document.domain;
                    var c = parent.%s;
                    c.start();
                    function p(d) {c.message(d);};
                    window.onload = function() {c.stop();};
                  </script>
                """.formatted(callback);
        // old browsers render (and run scripts of) a streamed page only after its first kilobyte
        return page + " ".repeat(Math.max(0, 1024 - page.length())) + "\r\n\r\n";
    }
}
