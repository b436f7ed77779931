package org.pushpin.message;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The recorded control API answers of Pushpin 1.36 ({@code publish/README.md} in the test resources). */
public final class ReferenceBodies {
    private ReferenceBodies() {
    }

    /** One recorded exchange: the body posted to {@code /publish}, the status and body Pushpin answered. */
    public record Case(String body, int status, String response) {
        @Override
        public String toString() {
            return body.length() > 110 ? body.substring(0, 110) + "..." : body;
        }
    }

    /**
     * The recorded answers we match, i.e. all but those where we follow a later Pushpin on purpose: the action
     * {@code refresh}, which 1.36 rejects and 1.38+ reads in every format (PublishParserTest, RefreshActionTest).
     */
    public static List<Case> all() {
        try (InputStream in = ReferenceBodies.class.getResourceAsStream("/publish/reference-bodies.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<List<Case>>() { }).stream()
                    .filter(c -> !c.body().contains("\"action\":\"refresh\""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
