package org.pushpin.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pushpin.testing.Mutations;

/**
 * Property-based fuzzing of the publish JSON parser (the body of {@code POST /publish/}, and the items of the
 * ZeroMQ inputs): valid requests of every format and action mutated and cut. Each either parses into items or is
 * refused with {@link PublishFormatException} (the control API's 400 with the reason): never another exception,
 * which would answer 500 and tell the publisher nothing.
 */
class PublishParserFuzzTest {
    private static final List<String> SEEDS = List.of(
            "{\"items\":[{\"channel\":\"a\",\"id\":\"2\",\"prev-id\":\"1\",\"formats\":{\"http-stream\":"
                    + "{\"content\":\"hi\\n\"},\"http-response\":{\"code\":200,\"reason\":\"OK\",\"headers\":"
                    + "{\"X\":\"y\"},\"body\":\"b\"}}}]}",
            "{\"items\":[{\"channel\":\"b\",\"formats\":{\"ws-message\":{\"content-bin\":\"aGk=\"},"
                    + "\"http-stream\":{\"action\":\"close\"}}},{\"channel\":\"c\",\"formats\":"
                    + "{\"http-response\":{\"body-bin\":\"eA==\",\"headers\":[[\"A\",\"b\"]]}}}]}",
            "{\"items\":[{\"channel\":\"d\",\"meta\":{\"k\":\"v\"},\"no-seq\":true,\"size\":12.5e3,"
                    + "\"formats\":{\"ws-message\":{\"action\":\"close\",\"code\":1000}}}]}",
            "{\"items\":[{\"channel\":\"e\",\"formats\":{\"http-stream\":{\"action\":\"hint\"}}}]}");

    @Provide
    Arbitrary<byte[]> bodies() {
        return Mutations.of(SEEDS);
    }

    @Property(tries = 5000)
    void aBodyEitherParsesOrIsRefusedWithAReason(@ForAll("bodies") byte[] body) {
        try {
            List<PublishItem> items = PublishParser.parseRequest(body);
            for (PublishItem item : items) {
                assertThat(item.channel()).isNotNull();
            }
        } catch (PublishFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1)
    void theSeedsParse() throws Exception {
        for (String s : SEEDS) {
            assertThat(PublishParser.parseRequest(s.getBytes(StandardCharsets.UTF_8))).isNotEmpty();
        }
    }
}
