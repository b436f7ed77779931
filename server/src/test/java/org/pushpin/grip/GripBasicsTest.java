package org.pushpin.grip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Detection, reason phrases and the Qt conversions GRIP parsing relies on. */
class GripBasicsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "Content-Type: application/grip-instruct                       ~ true",
        "Content-Type: application/grip-instruct; charset=utf-8        ~ true",
        "content-type: application/grip-instruct;x                     ~ true",
        // (v) exact and untrimmed in 1.36: these are relayed as plain responses
        "Content-Type: application/grip-instruct ;charset=utf-8        ~ false",
        "Content-Type: Application/Grip-Instruct                       ~ false",
        "Content-Type: application/grip-instructions                   ~ false",
        "Content-Type: text/plain || Content-Type: application/grip-instruct ~ false",
        "Content-Type: text/plain                                      ~ false",
        "X-Foo: 1                                                      ~ false",
        "Gripper: 1                                                    ~ false",
        "Grip: 1                                                       ~ false",
        "Grip-Hold: stream                                             ~ true",
        "grip-anything: x                                              ~ true",
        "GRIP-X:                                                       ~ true",
        "Grip-: x                                                      ~ true",
        "Content-Type: text/html || X-A: 1 || gRiP-Status: 200          ~ true",
        "``                                                            ~ false",
    })
    void detectsInstructs(String headers, boolean expected) {
        assertThat(GripDetector.isInstruct(GripTesting.headers(headers))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "100 ~ Continue", "101 ~ Switching Protocols", "102 ~ Processing",
        "200 ~ OK", "201 ~ Created", "202 ~ Accepted", "203 ~ Non-Authoritative Information",
        "204 ~ No Content", "205 ~ Reset Content", "206 ~ Partial Content", "207 ~ Multi-Status",
        "208 ~ Already Reported", "226 ~ IM Used",
        "300 ~ Multiple Choices", "301 ~ Moved Permanently", "302 ~ Found", "303 ~ See Other",
        "304 ~ Not Modified", "305 ~ Use Proxy", "306 ~ Reserved", "307 ~ Temporary Redirect",
        "308 ~ Permanent Redirect",
        "400 ~ Bad Request", "401 ~ Unauthorized", "402 ~ Payment Required", "403 ~ Forbidden",
        "404 ~ Not Found", "405 ~ Method Not Allowed", "406 ~ Not Acceptable",
        "407 ~ Proxy Authentication Required", "408 ~ Request Timeout", "409 ~ Conflict", "410 ~ Gone",
        "411 ~ Length Required", "412 ~ Precondition Failed", "413 ~ Request Entity Too Large",
        "414 ~ Request-URI Too Long", "415 ~ Unsupported Media Type",
        "416 ~ Requested Range Not Satisfiable", "417 ~ Expectation Failed", "422 ~ Unprocessable Entity",
        "423 ~ Locked", "424 ~ Failed Dependency", "426 ~ Upgrade Required", "428 ~ Precondition Required",
        "429 ~ Too Many Requests", "431 ~ Request Header Fields Too Large",
        "500 ~ Internal Server Error", "501 ~ Not Implemented", "502 ~ Bad Gateway",
        "503 ~ Service Unavailable", "504 ~ Gateway Timeout", "505 ~ HTTP Version Not Supported",
        "506 ~ Variant Also Negotiates", "507 ~ Insufficient Storage", "508 ~ Loop Detected",
        "510 ~ Not Extended", "511 ~ Network Authentication Required",
        // not in 1.36's table (v for 418)
        "0 ~ Undefined Reason", "1 ~ Undefined Reason", "103 ~ Undefined Reason", "418 ~ Undefined Reason",
        "421 ~ Undefined Reason", "425 ~ Undefined Reason", "451 ~ Undefined Reason", "999 ~ Undefined Reason",
        "-1 ~ Undefined Reason",
    })
    void knowsTheStandardReasons(int code, String reason) {
        assertThat(StatusReasons.reason(code)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "[{index}] `{0}`")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "0 ~ 0", "42 ~ 42", "+7 ~ 7", "-7 ~ -7", "` 12 ` ~ 12", "`\t12\r\n` ~ 12", "007 ~ 7",
        "2147483647 ~ 2147483647", "-2147483648 ~ -2147483648",
        "2147483648 ~ null", "99999999999 ~ null", "`` ~ null", "+ ~ null", "- ~ null", "1.5 ~ null",
        "1e3 ~ null", "0x10 ~ null", "12a ~ null", "`1 2` ~ null", "++1 ~ null", "\u0661 ~ null",
    })
    void parsesIntegersAsQtDoes(String in, String expected) {
        assertThat(String.valueOf(QtCompat.parseInt(in))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] `{0}`")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "aGk=      ~ 6869",
        "aGk       ~ 6869",
        "aGk=!!aGk ~ 68691a1a",
        "`aG k=`   ~ 6869",
        "a         ~ ``",
        "``        ~ ``",
        "-_8=      ~ ``",  // URL-safe digits are not in the standard alphabet: skipped
        "////      ~ ffffff",
        "`AAEC\tAw==` ~ 00010203",
    })
    void decodesBase64Leniently(String in, String hex) {
        byte[] out = QtCompat.fromBase64(in.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(java.util.HexFormat.of().formatHex(out)).isEqualTo(hex);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "/a/b/c/./../../g ~ /a/g",
        "mid/content=5/../6 ~ mid/6",
        "/.. ~ /",
        "/../../x ~ /x",
        "/a/. ~ /a/",
        "/a/.. ~ /",
        ". ~ ``",
        ".. ~ ``",
        "../x ~ x",
        "/a//b/../c ~ /a//c",
        "`` ~ ``",
    })
    void removesDotSegments(String in, String out) {
        assertThat(LinkResolver.removeDotSegments(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        // RFC 3986 §5.4 examples against http://a/b/c/d;p?q
        "g ~ http://a/b/c/g", "./g ~ http://a/b/c/g", "g/ ~ http://a/b/c/g/", "/g ~ http://a/g",
        "//g ~ http://g", "?y ~ http://a/b/c/d;p?y", "g?y ~ http://a/b/c/g?y", "#s ~ http://a/b/c/d;p?q#s",
        "g#s ~ http://a/b/c/g#s", "g?y#s ~ http://a/b/c/g?y#s", ";x ~ http://a/b/c/;x",
        "g;x ~ http://a/b/c/g;x", "g;x?y#s ~ http://a/b/c/g;x?y#s", ". ~ http://a/b/c/", "./ ~ http://a/b/c/",
        ".. ~ http://a/b/", "../ ~ http://a/b/", "../g ~ http://a/b/g", "../.. ~ http://a/",
        "../../ ~ http://a/", "../../g ~ http://a/g", "../../../g ~ http://a/g", "../../../../g ~ http://a/g",
        "/./g ~ http://a/g", "/../g ~ http://a/g", "g. ~ http://a/b/c/g.", ".g ~ http://a/b/c/.g",
        "g.. ~ http://a/b/c/g..", "..g ~ http://a/b/c/..g", "./../g ~ http://a/b/g", "./g/. ~ http://a/b/c/g/",
        "g/./h ~ http://a/b/c/g/h", "g/../h ~ http://a/b/c/h", "g;x=1/./y ~ http://a/b/c/g;x=1/y",
        "g;x=1/../y ~ http://a/b/c/y", "g?y/./x ~ http://a/b/c/g?y/./x", "g#s/../x ~ http://a/b/c/g#s/../x",
        "http:g ~ http:g",
    })
    void resolvesPerRfc3986(String ref, String expected) {
        assertThat(LinkResolver.resolve(ref, java.net.URI.create("http://a/b/c/d;p?q"))).hasToString(expected);
    }
}
