package org.pushpin.proxy.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pushpin.proxy.sig.SigTesting.b64url;
import static org.pushpin.proxy.sig.SigTesting.decodeSegment;
import static org.pushpin.proxy.sig.SigTesting.hmacSha256;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GripSignerTest {
    private static final long NOW = 1_700_000_000_250L;

    @TempDir
    Path dir;

    /**
     * A Grip-Sig captured from the reference Pushpin 1.36 (sig_iss=pushpin, sig_key=changeme). Ours, made in the
     * same second, must be the same string.
     */
    @Test
    void matchesTheReferenceTokenByteForByte() throws Exception {
        String reference = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"
                + ".eyJleHAiOjE3OTU4MTg1OTUsImlzcyI6InB1c2hwaW4ifQ"
                + ".tHeIxirGEy7Ac-qxhJx-11kPWkSb87awM0ucuAidNAA";
        long signedAt = (1_795_818_595L - 3600) * 1000 + 999;
        GripSigner signer = new GripSigner("pushpin", SigningKey.parse("changeme", dir), () -> signedAt);
        assertThat(signer.sign()).isEqualTo(reference);
    }

    @Test
    void signsShortHmacSecretsAsStandardHs256() throws Exception {
        String token = new GripSigner("pushpin", SigningKey.parse("changeme", dir), () -> NOW).sign();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decodeSegment(token, 0)).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"HS256\"}");
        assertThat(decodeSegment(token, 1)).isEqualTo("{\"exp\":1700003600,\"iss\":\"pushpin\"}");
        // what any JWT library does: HMAC-SHA256 over "header.payload" with the secret
        byte[] expected = hmacSha256("changeme".getBytes(StandardCharsets.UTF_8), parts[0] + "." + parts[1]);
        assertThat(parts[2]).isEqualTo(b64url(expected));
    }

    @Test
    void signsWithAnEmptySecretAs136Does() throws Exception {
        String token = new GripSigner("pushpin", SigningKey.parse("", dir), () -> NOW).sign();
        String[] parts = token.split("\\.");
        // HMAC pads short keys with zeros: an empty key is the same as a block of zeros
        assertThat(parts[2]).isEqualTo(b64url(hmacSha256(new byte[64], parts[0] + "." + parts[1])));
    }

    @Test
    void longSecretsGoThroughNimbusAndVerifyWithIt() throws Exception {
        byte[] secret = new byte[48];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 7);
        }
        SigningKey key = SigningKey.parse("base64:" + java.util.Base64.getEncoder().encodeToString(secret), dir);
        String token = new GripSigner("iss", key, () -> NOW).sign();
        assertThat(JWSObject.parse(token).verify(new MACVerifier(secret))).isTrue();
        assertThat(decodeSegment(token, 0)).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"HS256\"}");
    }

    @Test
    void signsEs256WithPemKeysAndVerifiesWithThePublicKey() throws Exception {
        KeyPair kp = SigTesting.ecKeyPair("secp256r1");
        SigTesting.pkcs8(dir, "ec.pem", kp);
        String token = new GripSigner("pushpin", SigningKey.parse("file:ec.pem", dir), () -> NOW).sign();
        assertThat(decodeSegment(token, 0)).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
        assertThat(decodeSegment(token, 1)).isEqualTo("{\"exp\":1700003600,\"iss\":\"pushpin\"}");
        assertThat(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[2])).hasSize(64); // raw R||S
        assertThat(JWSObject.parse(token).verify(new ECDSAVerifier((ECPublicKey) kp.getPublic()))).isTrue();
    }

    @Test
    void signsRs256WithPemKeys() throws Exception {
        KeyPair kp = SigTesting.rsaKeyPair();
        SigTesting.pem(dir, "rsa.pem", kp.getPrivate());
        String token = new GripSigner("pushpin", SigningKey.parse("file:rsa.pem", dir), () -> NOW).sign();
        assertThat(decodeSegment(token, 0)).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"RS256\"}");
        assertThat(JWSObject.parse(token).verify(new RSASSAVerifier((RSAPublicKey) kp.getPublic()))).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "pushpin         ~ {\"exp\":1700003600,\"iss\":\"pushpin\"}",
        "``              ~ {\"exp\":1700003600,\"iss\":\"\"}",
        "a\"b\\c         ~ {\"exp\":1700003600,\"iss\":\"a\\\"b\\\\c\"}",
        "caf\u00e9       ~ {\"exp\":1700003600,\"iss\":\"caf\u00e9\"}",
    })
    void writesClaimsAsJson(String iss, String claims) throws Exception {
        String token = new GripSigner(iss, SigningKey.parse("k", dir), () -> NOW).sign();
        assertThat(decodeSegment(token, 1)).isEqualTo(claims);
    }

    @Test
    void cachesTheTokenWithinASecond() throws Exception {
        AtomicLong clock = new AtomicLong(NOW);
        GripSigner signer = new GripSigner("pushpin", SigningKey.parse("changeme", dir), clock::get);
        String first = signer.sign();
        clock.set(1_700_000_000_999L);
        assertThat(signer.sign()).isSameAs(first);
        clock.set(1_700_000_001_000L);
        String second = signer.sign();
        assertThat(second).isNotEqualTo(first);
        assertThat(decodeSegment(second, 1)).contains("\"exp\":1700003601");
        clock.set(NOW); // a clock step back re-signs too
        assertThat(decodeSegment(signer.sign(), 1)).contains("\"exp\":1700003600");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        AtomicLong clock = new AtomicLong(NOW);
        SigningKey key = SigningKey.parse("changeme", dir);
        GripSigner signer = new GripSigner("pushpin", key, () -> clock.addAndGet(7));
        GripSigVerifier verifier = new GripSigVerifier(key, () -> NOW);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (!verifier.isValid(signer.sign())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesKeysThatCannotSign() throws Exception {
        KeyPair kp = SigTesting.ecKeyPair("secp256r1");
        SigTesting.pem(dir, "pub.pem", kp.getPublic());
        SigningKey publicOnly = SigningKey.parse("file:pub.pem", dir);
        assertThatThrownBy(() -> new GripSigner("pushpin", publicOnly)).isInstanceOf(IllegalArgumentException.class);
    }
}
