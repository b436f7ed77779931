package org.pushpin.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** The exchange currently using an origin connection; events arrive on the connection's event loop. */
interface OriginListener {
    void onOriginResponse(HttpResponse response);

    /** The listener owns {@code content} and must release it. */
    void onOriginContent(HttpContent content);

    void onOriginWritabilityChanged(boolean writable);

    void onOriginClosed();

    void onOriginError(Throwable cause);
}
