package org.pushpin.hub;

import io.netty.buffer.ByteBuf;

/**
 * An item's payloads encoded once per publish and shared by all its deliveries: read-only buffers that live until
 * every event loop has delivered the item. Receivers write {@code retainedDuplicate()}s; they never release these.
 *
 * @param httpStream the {@code http-stream} content, or null
 * @param httpResponseBody the {@code http-response} body, or null
 */
public record SharedContent(ByteBuf httpStream, ByteBuf httpResponseBody) {
}
