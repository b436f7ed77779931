package org.pushpin.grip;

import java.util.List;
import java.util.Map;

/**
 * Decides whether an origin response is a GRIP instruction (docs/grip.md#detection), the way Pushpin 1.36's proxy does.
 *
 * <p>Verified against 1.36: the media type test is exact and case-sensitive on the first {@code Content-Type}
 * value up to {@code ;}, untrimmed, so {@code Application/Grip-Instruct} or
 * {@code application/grip-instruct ;charset=x} are relayed as plain responses. The {@code Grip-} prefix test on
 * header names is case-insensitive.
 */
public final class GripDetector {
    /** The instruct media type. */
    public static final String INSTRUCT_TYPE = "application/grip-instruct";

    private GripDetector() {
    }

    /** True if the response must go through GRIP processing (unless the request is passthrough). */
    public static boolean isInstruct(List<Map.Entry<String, String>> headers) {
        if (isInstructType(HeaderValueParser.first(headers, "Content-Type"))) {
            return true;
        }
        for (Map.Entry<String, String> h : headers) {
            if (isGripHeader(h.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the first {@code Content-Type} value names the instruct media type (exact, before any {@code ;}). */
    public static boolean isInstructType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).equals(INSTRUCT_TYPE);
    }

    /** Whether a header name starts with {@code Grip-}, ignoring case. */
    public static boolean isGripHeader(String name) {
        return name.regionMatches(true, 0, "Grip-", 0, 5);
    }
}
