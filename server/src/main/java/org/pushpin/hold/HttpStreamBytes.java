package org.pushpin.hold;

import io.netty.buffer.ByteBuf;

/**
 * An item's {@code http-stream} content encoded once per publish and shared by every stream that receives it, on
 * every loop: read-only, unreleasable direct buffers (a socket write takes them as they are, with no copy into
 * native memory), in the two framings a stream can have. Streams write {@code retainedDuplicate()}s of the one
 * they need and never release these; the memory goes back when the last duplicate is gone and the GC collects the
 * buffer. Why not reference counting: many loops share one buffer and nobody would know who finished last without
 * a cross-thread decrement per loop.
 *
 * @param content the content as it is (close-delimited HTTP/1.0 streams)
 * @param chunk the content framed as one HTTP/1.1 chunk ({@code size CRLF content CRLF})
 */
record HttpStreamBytes(ByteBuf content, ByteBuf chunk) {
}
