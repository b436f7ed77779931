package org.pushpin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pushpin.testing.SelfSignedCert;

/**
 * {@code pushpin-publish -B/--bearer <token>} (Pushpin 2.0's tool): {@code Authorization: Bearer <token>} over https
 * only, never together with {@code -u}. Pushpin's control API has no authentication of its own, so the header is
 * checked where it arrives: a TLS server that records the request.
 */
@Timeout(60)
class PublishBearerTest {
    static SSLContext serverTls;
    static HttpClient trusting;

    @BeforeAll
    static void tls() throws Exception {
        SelfSignedCert cert = SelfSignedCert.generate("localhost");
        serverTls = ((JdkSslContext) SslContextBuilder
                .forServer(new ByteArrayInputStream(cert.certPem().getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(cert.keyPem().getBytes(StandardCharsets.US_ASCII)))
                .sslProvider(SslProvider.JDK).build()).context();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new TrustAll()}, null);
        trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(client).build();
    }

    static PublishCommandTest.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PublishCommand.run(args, new PrintWriter(out), new PrintWriter(err), null, trusting);
        return new PublishCommandTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void bearerTokenIsSentOverHttps() throws Exception {
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n", serverTls)) {
            PublishCommandTest.Run r = run("c", "hi", "--bearer", "tok.en-1", "--spec",
                    "https://localhost:" + capture.port());
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(capture.request().head()).contains("\r\nAuthorization: Bearer tok.en-1\r\n");
        }
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n", serverTls)) {
            assertThat(run("c", "hi", "-B", "t2", "--spec", "https://localhost:" + capture.port()).code()).isZero();
            assertThat(capture.request().head()).contains("\r\nAuthorization: Bearer t2\r\n");
        }
    }

    @Test
    void basicAuthStillSentOverHttps() throws Exception {
        try (CaptureServer capture = new CaptureServer(200, "OK", "Published\n", serverTls)) {
            assertThat(run("c", "hi", "-u", "a:b", "--spec", "https://localhost:" + capture.port()).code()).isZero();
            assertThat(capture.request().head()).contains("\r\nAuthorization: Basic YTpi\r\n");
        }
    }

    @Test
    void bearerNeedsHttpsAndExcludesBasic() {
        PublishCommandTest.Run plain = run("c", "x", "-B", "t", "--spec", "http://127.0.0.1:1");
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.err().strip()).isEqualTo("Error: Authentication requires https");
        PublishCommandTest.Run both = run("c", "x", "-B", "t", "-u", "a:b", "--spec", "https://127.0.0.1:1");
        assertThat(both.code()).isEqualTo(1);
        assertThat(both.out()).isEmpty();
        assertThat(both.err().strip()).isEqualTo("Error: only one authentication method can be specified");
    }

    /** Trusts the test's self-signed certificate (and any other): only ever used against CaptureServer. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
