package org.pushpin.hold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pushpin.grip.ClientResponse;
import org.pushpin.grip.StatusReasons;
import org.pushpin.message.HttpResponseFormat;
import org.pushpin.proxy.GripExchange;

/**
 * The response a long-poll client gets from an {@code http-response} publish (docs/grip.md#response-hold): the
 * published status, the origin's hold-response headers with same-named published ones replacing them, and the
 * published body — or the origin's JSON body with the published RFC 6902 {@code body-patch} applied.
 */
final class PublishedResponse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PublishedResponse() {
    }

    static final class BuildException extends Exception {
        private static final long serialVersionUID = 1L;

        BuildException(String message) {
            super(message);
        }
    }

    /** @param substMeta the subscription meta when var-subst applies, else null */
    static FullHttpResponse build(GripExchange exchange, HttpResponseFormat f, Map<String, String> substMeta)
            throws BuildException {
        ClientResponse origin = exchange.instruct().response();
        List<Map.Entry<String, String>> headers = mergeHeaders(origin.headers(), f.headers());
        byte[] body = f.body() != null ? f.body() : patch(origin.body(), f.bodyPatch());
        if (substMeta != null) {
            try {
                body = Filters.varSubst(body, substMeta);
            } catch (IllegalArgumentException e) {
                throw new BuildException("filter error: " + e.getMessage());
            }
        }
        String reason = f.reason() != null ? f.reason() : StatusReasons.reason(f.code());
        FullHttpResponse out = new DefaultFullHttpResponse(exchange.request().protocolVersion(),
                new HttpResponseStatus(f.code(), reason),
                exchange.channel().alloc().buffer(body.length).writeBytes(body));
        for (Map.Entry<String, String> h : headers) {
            out.headers().add(h.getKey(), h.getValue());
        }
        out.headers().setInt("Content-Length", body.length);
        return out;
    }

    private static List<Map.Entry<String, String>> mergeHeaders(List<Map.Entry<String, String>> origin,
                                                               List<Map.Entry<String, String>> published) {
        Set<String> replaced = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> exposedAway = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<Map.Entry<String, String>> pub = new ArrayList<>();
        for (Map.Entry<String, String> h : published) {
            String name = h.getKey();
            if (name.regionMatches(true, 0, "Grip-", 0, 5)) {
                // Pushpin 1.36 quirk: a published Grip-Expose-Headers removes the headers it names.
                if (name.equalsIgnoreCase("Grip-Expose-Headers")) {
                    for (String n : h.getValue().split(",")) {
                        exposedAway.add(n.trim());
                    }
                }
                continue;
            }
            replaced.add(name);
            pub.add(h);
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> h : origin) {
            if (!replaced.contains(h.getKey()) && !exposedAway.contains(h.getKey())
                    && !h.getKey().toLowerCase(Locale.ROOT).equals("content-length")) {
                out.add(h);
            }
        }
        for (Map.Entry<String, String> h : pub) {
            if (!exposedAway.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("Content-Length")) {
                out.add(h);
            }
        }
        return out;
    }

    static byte[] patch(byte[] originBody, JsonNode patch) throws BuildException {
        if (patch == null) {
            return new byte[0];
        }
        try {
            JsonNode doc = JSON.readTree(originBody);
            JsonNode result = JsonPatch.apply(patch, doc);
            String text = JSON.writeValueAsString(result);
            boolean newline = originBody.length > 0 && originBody[originBody.length - 1] == '\n';
            return (newline ? text + "\n" : text).getBytes(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new BuildException("failed to apply body-patch: " + e.getMessage());
        }
    }
}
