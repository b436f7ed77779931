package org.pushpin.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StampScannerTest {

    private static List<Long> scan(String... parts) {
        List<Long> got = new ArrayList<>();
        StampScanner scanner = new StampScanner(got::add);
        for (String part : parts) {
            ByteBuf buf = Unpooled.copiedBuffer(part, StandardCharsets.US_ASCII);
            int before = buf.readerIndex();
            scanner.scan(buf);
            assertThat(buf.readerIndex()).isEqualTo(before);
            buf.release();
        }
        return got;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "one SSE event                | data: @123\\n\\n                        | 123",
            "chunked framing around it    | 10\\r\\ndata: @42\\n\\n\\r\\n                | 42",
            "two events in one read       | data: @1\\n\\ndata: @22\\n\\n             | 1;22",
            "initial body, no stamp       | :init\\n\\n                             | ''",
            "an @ without digits          | a@b@@7\\n                              | 7",
            "digits without an @          | 12345\\n                               | ''",
            "a stamp needs its terminator | data: @99                            | ''",
            "nanoTime-sized stamp         | @9223372036854775806\\n               | 9223372036854775806",
    })
    void findsStamps(String what, String input, String expected) {
        String body = input.replace("\\n", "\n").replace("\\r", "\r");
        assertThat(scan(body)).as(what).isEqualTo(parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "5", "7", "8", "9", "11"})
    void aStampSplitAcrossReadsIsOneStamp(int at) {
        String body = "data: @4567\n\ndata: @89\n\n";
        assertThat(scan(body.substring(0, at), body.substring(at))).containsExactly(4567L, 89L);
    }

    private static List<Long> parse(String s) {
        List<Long> out = new ArrayList<>();
        for (String v : s.strip().split(";")) {
            if (!v.isEmpty()) {
                out.add(Long.parseLong(v));
            }
        }
        return out;
    }
}
