package org.pushpin.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Raw control API exchanges recorded from Pushpin 1.36 (bytes as ISO-8859-1 chars; see publish/README.md). */
final class ReferenceExchanges {
    private ReferenceExchanges() {
    }

    record Exchange(String request, String response) {
        @Override
        public String toString() {
            String r = request.replace("\r", "\\r").replace("\n", "\\n");
            return r.length() > 100 ? r.substring(0, 100) + "..." : r;
        }
    }

    static List<Exchange> all() {
        try (InputStream in = ReferenceExchanges.class.getResourceAsStream("/publish/reference-exchanges.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<List<Exchange>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
