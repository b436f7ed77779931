package org.pushpin.hub;

import io.netty.buffer.ByteBuf;

/**
 * An item's {@code http-stream} payload encoded once per publish and shared by all its deliveries: read-only,
 * unreleasable direct buffers (a socket write takes them as they are, with no copy into native memory), in the two
 * framings a stream can have. Receivers write {@code retainedDuplicate()}s of the one they need; they never release
 * these. The memory goes back when the last duplicate is gone and the GC collects the buffer.
 *
 * @param httpStream the content as it is (close-delimited HTTP/1.0 streams), or null when the item has none
 * @param httpStreamChunk the content framed as one HTTP/1.1 chunk ({@code size CRLF content CRLF}), or null
 */
public record SharedContent(ByteBuf httpStream, ByteBuf httpStreamChunk) {
    /** For an item without {@code http-stream} content. */
    public static final SharedContent NONE = new SharedContent(null, null);
}
