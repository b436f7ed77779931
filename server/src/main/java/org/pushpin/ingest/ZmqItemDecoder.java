package org.pushpin.ingest;

import java.util.Arrays;
import org.pushpin.message.PublishFormatException;
import org.pushpin.message.PublishItem;
import org.pushpin.message.PublishParser;
import org.pushpin.message.TnetItems;

/**
 * One publish item from a ZeroMQ message part, as Pushpin reads its PULL and SUB inputs: a first byte {@code J}
 * means a JSON object follows, {@code T} a tnetstring; anything else is a tnetstring from the first byte.
 */
final class ZmqItemDecoder {
    private ZmqItemDecoder() {
    }

    /**
     * @param channel the SUB socket's first part (wins over the item's own {@code channel}), or null
     */
    static PublishItem decode(byte[] part, String channel) throws PublishFormatException {
        if (part.length > 0 && part[0] == 'J') {
            return PublishParser.parseItem(Arrays.copyOfRange(part, 1, part.length), channel);
        }
        int start = part.length > 0 && part[0] == 'T' ? 1 : 0;
        return TnetItems.parseItem(part, start, part.length - start, channel);
    }
}
