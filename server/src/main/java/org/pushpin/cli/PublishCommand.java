package org.pushpin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pushpin-publish [options] <channel> [content]} (docs/publishing.md#pushpin-publish): builds the same item as
 * Pushpin 1.36's tool, checks the arguments in its order with its messages ({@code Error: ...} on stderr, exit 1), and
 * sends it to a GRIP URL ({@link PublishClient}) or a ZeroMQ PUSH spec ({@link ZmqPublishClient}).
 */
public final class PublishCommand {
    static final String DEFAULT_SPEC = "http://localhost:5561";

    private PublishCommand() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv("GRIP_URL")));
    }

    /** Runs the command; returns the exit code. {@code gripUrl} is {@code $GRIP_URL} (null when unset). */
    static int run(String[] args, PrintWriter out, PrintWriter err, String gripUrl) {
        return run(args, out, err, gripUrl, null);
    }

    /** @param http the client for HTTP(S) specs, or null for a default one (tests pass one that trusts theirs) */
    static int run(String[] args, PrintWriter out, PrintWriter err, String gripUrl, java.net.http.HttpClient http) {
        Args a = new Args();
        CommandLine cmd = new CommandLine(a)
                .setExpandAtFiles(false) // "@file" is content, read by us
                .setOverwrittenOptionsAllowed(true)
                .setOut(out)
                .setErr(err);
        try {
            cmd.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            err.println();
            cmd.usage(err);
            err.flush();
            return 1;
        }
        if (cmd.isUsageHelpRequested()) {
            cmd.usage(out);
            out.flush();
            return 0;
        }
        if (cmd.isVersionHelpRequested()) {
            out.println(Versions.text("pushpin-publish"));
            out.flush();
            return 0;
        }
        if (a.user != null && a.bearer != null) {
            err.println("Error: only one authentication method can be specified");
            err.flush();
            return 1;
        }
        try {
            String spec = a.spec != null ? a.spec : gripUrl != null ? gripUrl : DEFAULT_SPEC;
            Map<String, Object> item = a.item();
            if (spec.startsWith("tcp://") || spec.startsWith("ipc://")) {
                ZmqPublishClient.send(spec, item);
            } else {
                String body = PublishJson.write(Map.of("items", List.of(item)));
                PublishClient.send(spec, a.user != null ? PublishClient.basic(a.user)
                        : a.bearer != null ? "Bearer " + a.bearer : null, body, http);
            }
            out.println("Published");
            out.flush();
            return 0;
        } catch (PublishException e) {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** A failure reported as {@code Error: <message>}. */
    static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        PublishException(String message) {
            super(message, null, false, false);
        }
    }

    @Command(name = "pushpin-publish", description = "Publish messages to Pushpin", sortOptions = false,
            usageHelpAutoWidth = false)
    private static final class Args {
        @Parameters(index = "0", paramLabel = "<channel>", description = "Channel to send to")
        String channel;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<content>",
                description = "Content to use for HTTP body and WebSocket message")
        String content;

        @Option(names = "--id", paramLabel = "<id>", description = "Payload ID")
        String id = "";

        @Option(names = "--prev-id", paramLabel = "<id>", description = "Previous payload ID")
        String prevId = "";

        @Option(names = "--sender", paramLabel = "<sender>", description = "Sender meta value")
        String sender = "";

        @Option(names = "--code", paramLabel = "<code>", description = "HTTP response code to use [default: 200]")
        String code = "200";

        @Option(names = {"-H", "--header"}, paramLabel = "<\"K: V\">", description = "Add HTTP response header")
        List<String> headers = new ArrayList<>();

        @Option(names = {"-M", "--meta"}, paramLabel = "<\"K=V\">", description = "Add meta variable")
        List<String> meta = new ArrayList<>();

        @Option(names = "--hint", description = "Send hint instead of content")
        boolean hint;

        @Option(names = "--close", description = "Close streaming and WebSocket connections")
        boolean close;

        @Option(names = "--patch", description = "Content is JSON patch")
        boolean patch;

        @Option(names = "--no-seq", description = "Bypass sequencing buffer")
        boolean noSeq;

        @Option(names = "--no-eol", description = "Don't add newline to HTTP payloads")
        boolean noEol;

        @Option(names = "--spec", paramLabel = "<spec>",
                description = "GRIP URL or ZeroMQ PUSH spec [default: $GRIP_URL, else " + DEFAULT_SPEC + "]")
        String spec;

        @Option(names = {"-u", "--user"}, paramLabel = "<user:pass>", description = "Authenticate using basic auth")
        String user;

        // Pushpin 2.0's tool (main branch): -B/--bearer, exclusive with -u.
        @Option(names = {"-B", "--bearer"}, paramLabel = "<token>", description = "Authenticate using bearer auth")
        String bearer;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Prints help information")
        boolean help;

        @Option(names = {"-V", "--version"}, versionHelp = true, description = "Prints version information")
        boolean version;

        /** The item, checked in the order of Pushpin's tool. */
        Map<String, Object> item() throws PublishException {
            int status = parseCode(code);
            JsonNode patchArray = null;
            if (!hint && !close) {
                if (status > 999) {
                    throw new PublishException("code must be an integer between 0 and 999");
                }
                if (content == null) {
                    throw new PublishException("must specify content");
                }
                patchArray = patch ? parsePatch(content) : null;
            }
            List<Object> headerPairs = pairs(headers, ':', "header must be in the form \"name: value\"");
            List<Object> metaPairs = pairs(meta, '=', "meta must be in the form \"name=value\"");
            Map<String, Object> formats = new TreeMap<>();
            if (hint) {
                formats.put("http-response", Map.of("action", "hint"));
                formats.put("http-stream", Map.of("action", "hint"));
                formats.put("ws-message", Map.of("action", "hint"));
            } else if (close) {
                formats.put("http-stream", Map.of("action", "close"));
                formats.put("ws-message", Map.of("action", "close"));
            } else {
                Map<String, Object> response = new TreeMap<>();
                response.put("code", (long) status);
                if (patchArray != null) {
                    try {
                        response.put("body-patch", PublishJson.fromTree(patchArray));
                    } catch (IllegalArgumentException e) {
                        throw new PublishException(e.getMessage());
                    }
                } else {
                    byte[][] payloads = payloads();
                    PublishJson.putPayload(response, "body", payloads[0]);
                    Map<String, Object> stream = new TreeMap<>();
                    PublishJson.putPayload(stream, "content", payloads[0]);
                    formats.put("http-stream", stream);
                    Map<String, Object> ws = new TreeMap<>();
                    PublishJson.putPayload(ws, "content", payloads[1]);
                    formats.put("ws-message", ws);
                }
                if (!headerPairs.isEmpty()) {
                    response.put("headers", headerPairs);
                }
                formats.put("http-response", response);
            }
            Map<String, Object> metaMap = new TreeMap<>();
            if (!sender.isEmpty()) {
                metaMap.put("sender", sender);
            }
            for (Object pair : metaPairs) {
                List<?> kv = (List<?>) pair;
                metaMap.put((String) kv.get(0), kv.get(1));
            }
            Map<String, Object> item = new TreeMap<>();
            item.put("channel", channel);
            if (!id.isEmpty()) {
                item.put("id", id);
            }
            if (!prevId.isEmpty()) {
                item.put("prev-id", prevId);
            }
            item.put("formats", formats);
            if (!metaMap.isEmpty()) {
                item.put("meta", metaMap);
            }
            if (noSeq) {
                item.put("no-seq", true);
            }
            return item;
        }

        /** [http payload, ws payload]: "@file" verbatim for both, else the text with "\n" for HTTP. */
        private byte[][] payloads() throws PublishException {
            if (content.startsWith("@")) {
                String name = content.substring(1);
                try {
                    byte[] data = Files.readAllBytes(Path.of(name));
                    return new byte[][] {data, data};
                } catch (NoSuchFileException e) {
                    throw new PublishException("can't read file " + name
                            + ": No such file or directory (os error 2)");
                } catch (IOException | RuntimeException e) {
                    throw new PublishException("can't read file " + name + ": " + e.getMessage());
                }
            }
            byte[] ws = content.getBytes(StandardCharsets.UTF_8);
            byte[] http = (noEol ? content : content + "\n").getBytes(StandardCharsets.UTF_8);
            return new byte[][] {http, ws};
        }

        private static JsonNode parsePatch(String text) throws PublishException {
            JsonNode v;
            try {
                v = new ObjectMapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new PublishException(e.getOriginalMessage());
            }
            if (v == null || !v.isArray()) {
                throw new PublishException("patch content must be a JSON array");
            }
            return v;
        }

        /** "K: V" / "K=V" pairs: the name as given, the value trimmed. */
        private static List<Object> pairs(List<String> values, char sep, String error) throws PublishException {
            List<Object> out = new ArrayList<>();
            for (String v : values) {
                int at = v.indexOf(sep);
                if (at < 0) {
                    throw new PublishException(error);
                }
                out.add(List.of(v.substring(0, at), v.substring(at + 1).strip()));
            }
            return out;
        }

        /** Rust's {@code u16::from_str}, with its messages. */
        private static int parseCode(String s) throws PublishException {
            String digits = s.startsWith("+") && s.length() > 1 ? s.substring(1) : s;
            if (s.isEmpty()) {
                throw new PublishException("failed to parse code: cannot parse integer from empty string");
            }
            int v = 0;
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') {
                    throw new PublishException("failed to parse code: invalid digit found in string");
                }
            }
            for (int i = 0; i < digits.length(); i++) {
                v = v * 10 + (digits.charAt(i) - '0');
                if (v > 65535) {
                    throw new PublishException("failed to parse code: number too large to fit in target type");
                }
            }
            return v;
        }
    }
}
