package org.pushpin.message;

import java.util.Map;

/**
 * One published item (docs/publishing.md#publish-items). Immutable; shared by every delivery of it.
 *
 * @param channel  the channel (required, non-empty)
 * @param id       the item id, or null
 * @param prevId   the previous item id, or null
 * @param meta     publish meta ({@code sender}, {@code skip_users}, {@code require_sub}, ...), string values
 * @param noSeq    bypass sequencing
 * @param size     {@code size}, or -1
 * @param httpResponse the {@code http-response} format, or null
 * @param httpStream   the {@code http-stream} format, or null
 * @param wsMessage    the {@code ws-message} format, or null (at least one format is non-null)
 */
public record PublishItem(String channel, String id, String prevId, Map<String, String> meta, boolean noSeq,
                          long size, HttpResponseFormat httpResponse, HttpStreamFormat httpStream,
                          WsMessageFormat wsMessage) {

    /** Whether it closes connections: its {@code http-stream} or {@code ws-message} action is {@code close}. */
    public boolean closes() {
        return (httpStream != null && httpStream.action() == Action.CLOSE)
                || (wsMessage != null && wsMessage.action() == Action.CLOSE);
    }
}
