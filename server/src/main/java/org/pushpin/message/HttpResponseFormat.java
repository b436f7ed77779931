package org.pushpin.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code http-response}: the whole answer to a response hold (long-poll).
 *
 * @param code      status, default 200
 * @param reason    reason phrase, or null for the standard one of {@code code}
 * @param headers   published headers in order (replace same-named headers of the hold's response)
 * @param body      the body, or null when {@code bodyPatch} is given
 * @param bodyPatch an RFC 6902 JSON Patch array applied to the hold response's JSON body, or null
 */
public record HttpResponseFormat(Action action, int code, String reason, List<Map.Entry<String, String>> headers,
                                 byte[] body, JsonNode bodyPatch, List<String> contentFilters) implements Format {
}
