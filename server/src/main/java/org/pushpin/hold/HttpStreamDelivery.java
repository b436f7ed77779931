package org.pushpin.hold;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.pushpin.hub.DeliveryKind;
import org.pushpin.message.PublishItem;

/** HTTP streams (and SSE): an item's {@code http-stream} content, framed once in both ways a stream may need. */
final class HttpStreamDelivery implements DeliveryKind<HttpStreamBytes> {
    /** Stateless: the one instance every hub of this JVM registers and every stream hold looks its bytes up by. */
    static final HttpStreamDelivery INSTANCE = new HttpStreamDelivery();
    private static final byte[] CRLF = {'\r', '\n'};

    private HttpStreamDelivery() {
    }

    @Override
    public HttpStreamBytes encode(PublishItem item) {
        byte[] content = item.httpStream() == null ? null : item.httpStream().content();
        if (content == null || content.length == 0) {
            return null;
        }
        byte[] size = Integer.toHexString(content.length).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer raw = ByteBuffer.allocateDirect(content.length);
        raw.put(content).flip();
        ByteBuffer chunk = ByteBuffer.allocateDirect(size.length + content.length + 4);
        chunk.put(size).put(CRLF).put(content).put(CRLF).flip();
        return new HttpStreamBytes(share(raw), share(chunk));
    }

    /** JDK direct buffers, freed by their cleaner once unreachable: no release needed, so any loop may share one. */
    private static ByteBuf share(ByteBuffer bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }
}
