package org.pushpin.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every recorded body: accepted exactly when Pushpin 1.36 accepted it, else rejected with its very text. */
class PublishParserTableTest {
    static List<ReferenceBodies.Case> cases() {
        return ReferenceBodies.all();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesReference(ReferenceBodies.Case c) throws Exception {
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        if (c.status() == 200) {
            assertThat(PublishParser.parseRequest(body)).isNotNull();
        } else {
            assertThatThrownBy(() -> PublishParser.parseRequest(body))
                    .isInstanceOf(PublishFormatException.class)
                    .hasMessage(c.response().substring(0, c.response().length() - 1));
        }
    }
}
