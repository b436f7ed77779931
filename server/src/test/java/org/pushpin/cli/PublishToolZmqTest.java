package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.PushpinServerExtension;
import org.pushpin.testing.ScriptProcess;
import org.pushpin.tnet.TnetString;

/**
 * {@code pushpin-publish --spec tcp://}: ours and Debian's 1.36 tool publish the same arguments to a libzmq PULL
 * socket (python3-zmq); both send one part, a tnetstring item, and the two items are the same tree.
 */
@Timeout(60)
class PublishToolZmqTest {
    private static Object received(ScriptProcess pull) throws Exception {
        JsonNode m = pull.expect("message");
        assertThat(m.get("parts")).hasSize(1);
        return TnetString.parse(HexFormat.of().parseHex(m.get("parts").get(0).asText()));
    }

    @Test
    void oursSendsTheItemDebiansToolSends() throws Exception {
        int port = PushpinServerExtension.freeLocalPort();
        String spec = "tcp://127.0.0.1:" + port;
        try (ScriptProcess pull = ScriptProcess.pythonZmq("zmq_peer.py", "pull", spec)) {
            pull.expect("ready");
            List<List<String>> cases = List.of(List.of("chan", "hello", "--id", "i1", "--prev-id", "i0"),
                    List.of("chan", "--close"), List.of("chan", "x", "--code", "404", "-H", "A: b", "--no-seq"),
                    List.of("chan", "hi", "--hint"));
            for (List<String> args : cases) {
                List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/pushpin-publish", "--spec", spec));
                cmd.addAll(args);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                Object theirs = received(pull);

                // ours as a process of its own, as bin/pushpin-publish runs it (one publish per JVM)
                List<String> ours = new java.util.ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), PublishCommand.class.getName(),
                        "--spec", spec));
                ours.addAll(args);
                Process q = new ProcessBuilder(ours).redirectErrorStream(true).start();
                assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String out = new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(q.exitValue()).as(out).isZero();
                assertThat(out).endsWith("Published\n");
                assertThat(tree(received(pull))).as(args.toString()).isEqualTo(tree(theirs));
            }
        }
    }

    /** The value with byte strings as text, so two trees compare by content. */
    private static Object tree(Object v) {
        return org.pushpin.message.TnetItems.toJson(v);
    }
}
