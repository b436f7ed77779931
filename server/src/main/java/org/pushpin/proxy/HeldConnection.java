package org.pushpin.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * A client connection carrying a stream hold after the exchange let go of everything else (see
 * {@link GripExchange#compact()}): the holder frames and writes its own bytes on {@link #channel()}, with the
 * response encoder and the request decoding handlers out of the pipeline until {@link #streamEnded()}. Every
 * method must be called on the channel's event loop.
 */
public interface HeldConnection {
    Channel channel();

    /** The stream's last bytes were written: the connection takes its next request, or closes (HTTP/1.0). */
    void streamEnded();

    /** Cuts the connection off (a slow client over its limit, an error after the head went out). */
    void abort();

    /** {@code listener} runs on the loop if the connection closes while the stream holds it (one at a time). */
    void onClose(Runnable listener);

    /**
     * Whether the connection frames each write itself (an HTTP/2 stream sends it as a DATA frame): the holder then
     * writes bare bytes, never HTTP/1.1 chunks.
     */
    default boolean framesWrites() {
        return channel() instanceof Http2StreamChannel;
    }
}
