package org.pushpin.hold;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@code build-id} content filter (docs/grip.md#build-id), as Pushpin 1.36 renders it (checked on the reference):
 * it needs the subscription meta {@code id_format}; in the content {@code %(text)I} becomes {@code text},
 * {@code %I} becomes the default id, {@code %%} a single {@code %}; with meta {@code id_encoding=hex} ids are written
 * in hex. The initial body has no default id ({@code %I} there is an error); for a published item the default id is
 * {@code id_format} with each {@code %(channel)s} replaced by that channel's id: the item's own id for its channel,
 * the origin's prev-id for the others.
 */
final class BuildId {
    private BuildId() {
    }

    static final class FilterException extends Exception {
        private static final long serialVersionUID = 1L;

        FilterException(String message) {
            super("build-id: " + message);
        }
    }

    /** @param defaultId the default id, or null where there is none (the initial body) */
    static byte[] render(byte[] content, Map<String, String> meta, String defaultId) throws FilterException {
        if (!meta.containsKey("id_format")) {
            throw new FilterException("no sub meta 'id_format'");
        }
        boolean hex = "hex".equals(meta.get("id_encoding"));
        String s = new String(content, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '%') {
                out.append('%');
                i++;
            } else if (n == 'I') {
                if (defaultId == null) {
                    throw new FilterException("No ID specified and no default ID in context at position " + (i + 1));
                }
                out.append(encode(defaultId, hex));
                i++;
            } else if (n == '(') {
                int close = s.indexOf(")I", i + 2);
                if (close < 0) {
                    out.append(c);
                    continue;
                }
                out.append(encode(new String(s.substring(i + 2, close).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8), hex));
                i = close + 1;
            } else {
                out.append(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The default id of a published item: {@code id_format} with each channel's id put in. */
    static String defaultId(Map<String, String> meta, List<String> channels, List<String> prevIds,
                            String publishedChannel, String itemId) {
        String format = meta.getOrDefault("id_format", "");
        for (int i = 0; i < channels.size(); i++) {
            String ch = channels.get(i);
            String id = ch.equals(publishedChannel) ? itemId : prevIds.get(i);
            format = format.replace("%(" + ch + ")s", id == null ? "" : id);
        }
        return format;
    }

    private static String encode(String id, boolean hex) {
        String utf8 = new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (!hex) {
            return utf8;
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
