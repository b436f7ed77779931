package org.pushpin.proxy.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pushpin.proxy.sig.SigTesting.b64url;
import static org.pushpin.proxy.sig.SigTesting.hs256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GripSigVerifierTest {
    private static final long NOW_S = 1_700_000_000L;
    private static final String HS = "{\"typ\":\"JWT\",\"alg\":\"HS256\"}";
    private static final byte[] CHANGEME = "changeme".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static KeyPair ec;
    static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        ec = SigTesting.ecKeyPair("secp256r1");
        rsa = SigTesting.rsaKeyPair();
        SigTesting.pkcs8(dir, "ec.pem", ec);
        SigTesting.pem(dir, "ec-pub.pem", ec.getPublic());
        SigTesting.sec1WithoutPublic(dir, "ec-bare.pem", ec);
        SigTesting.pem(dir, "rsa.pem", rsa.getPrivate());
        SigTesting.pem(dir, "rsa-pub.pem", rsa.getPublic());
        SigTesting.pem(dir, "other-ec.pem", SigTesting.ecKeyPair("secp256r1").getPublic());
    }

    private static GripSigVerifier verifier(String spec) throws Exception {
        return new GripSigVerifier(SigningKey.parse(spec, dir), () -> NOW_S * 1000 + 500);
    }

    private static String signed(String spec) throws Exception {
        return new GripSigner("pushpin", SigningKey.parse(spec, dir), () -> NOW_S * 1000).sign();
    }

    @ParameterizedTest(name = "[{index}] signed with {0}, checked with {1}")
    @CsvSource(delimiter = '~', value = {
        "changeme                      ~ changeme                ~ true",
        "''                            ~ ''                      ~ true",
        "base64:Y2hhbmdlbWU=           ~ changeme                ~ true",
        "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g ~ base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g ~ true",
        "file:ec.pem                   ~ file:ec-pub.pem         ~ true",
        "file:ec.pem                   ~ file:ec.pem             ~ true",
        "file:ec-bare.pem              ~ file:ec-pub.pem         ~ true",
        "file:ec.pem                   ~ file:ec-bare.pem        ~ true",
        "file:rsa.pem                  ~ file:rsa-pub.pem        ~ true",
        "file:rsa.pem                  ~ file:rsa.pem            ~ true",
        // wrong key
        "changeme                      ~ changemf                ~ false",
        "''                            ~ changeme                ~ false",
        "file:ec.pem                   ~ file:other-ec.pem       ~ false",
        // algorithm mismatch: the header's alg must be the key's
        "file:ec.pem                   ~ changeme                ~ false",
        "changeme                      ~ file:ec-pub.pem         ~ false",
        "file:rsa.pem                  ~ file:ec-pub.pem         ~ false",
        "changeme                      ~ file:rsa-pub.pem        ~ false",
    })
    void roundTrips(String signKey, String verifyKey, boolean valid) throws Exception {
        assertThat(verifier(verifyKey).isValid(signed(signKey))).isEqualTo(valid);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "{\"exp\":1700000001,\"iss\":\"x\"}   ~ true",
        "{\"exp\":1700000001}                 ~ true",   // iss is not checked
        "{\"exp\":1700000000}                 ~ false",  // expires at this second
        "{\"exp\":1699999999}                 ~ false",
        "{\"exp\":0}                          ~ false",
        "{\"exp\":-5}                         ~ false",
        "{\"iss\":\"pushpin\"}                ~ false",  // no exp
        "{\"exp\":null}                       ~ false",
        "{\"exp\":\"1700000100\"}             ~ true",   // QVariant::toInt takes numeric strings
        "{\"exp\":\"soon\"}                   ~ false",
        "{\"exp\":1700000100.4}               ~ true",
        "{\"exp\":true}                       ~ false",
        "{\"exp\":[1700000100]}               ~ false",
        "{\"exp\":4102444800}                 ~ true",   // 2100: 64-bit here (1.36 wraps it to 32 bits)
        "[1]                                  ~ false",
        "\"str\"                              ~ false",
        "not json                             ~ false",
        "{\"exp\":1700000100,\"nbf\":1800000000,\"aud\":\"x\"} ~ true",
    })
    void checksClaims(String claims, boolean valid) throws Exception {
        assertThat(verifier("changeme").isValid(hs256(CHANGEME, HS, claims))).isEqualTo(valid);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "{\"typ\":\"JWT\",\"alg\":\"HS256\"}   ~ true",
        "{\"alg\":\"HS256\"}                   ~ true",
        "{\"alg\":\"HS256\",\"kid\":\"k1\"}    ~ true",
        "{\"typ\":\"JWT\",\"alg\":\"HS384\"}   ~ false",
        "{\"typ\":\"JWT\",\"alg\":\"none\"}    ~ false",
        "{\"typ\":\"JWT\",\"alg\":\"ES256\"}   ~ false",
        "{\"typ\":\"JWT\"}                     ~ false",
        "{\"typ\":5,\"alg\":\"HS256\"}         ~ false",
        "[]                                    ~ false",
    })
    void checksTheHeader(String header, boolean valid) throws Exception {
        assertThat(verifier("changeme").isValid(hs256(CHANGEME, header, "{\"exp\":1700000100}")))
                .isEqualTo(valid);
    }

    @ParameterizedTest(name = "[{index}] `{0}`")
    @ValueSource(strings = {"", " ", "a", "a.b", "a.b.c", "..", "...", "a.b.c.d", "eyJ.eyJ.sig",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9..", "%%%.%%%.%%%", "\u0000\u0001.\u00ff.x",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAxMDB9"})
    void rejectsGarbageWithoutThrowing(String token) throws Exception {
        assertThat(verifier("changeme").isValid(token)).isFalse();
        assertThat(verifier("file:ec-pub.pem").isValid(token)).isFalse();
        assertThat(verifier("file:rsa-pub.pem").isValid(token)).isFalse();
    }

    @Test
    void rejectsNullAndTamperedTokens() throws Exception {
        GripSigVerifier v = verifier("changeme");
        assertThat(v.isValid(null)).isFalse();
        String token = signed("changeme");
        assertThat(v.isValid(token)).isTrue();
        String[] p = token.split("\\.");
        String forged = p[0] + "." + b64url("{\"exp\":1900000000,\"iss\":\"pushpin\"}") + "." + p[2];
        assertThat(v.isValid(forged)).isFalse();
        assertThat(v.isValid(p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() - 2))).isFalse();
        assertThat(v.isValid(p[0] + "." + p[1] + ".")).isFalse();
    }

    @Test
    void rejectsHs256SignedWithThePublicKeyBytes() throws Exception {
        // the classic algorithm confusion: an RSA upstream key must never accept HMAC with its PEM text
        byte[] pem = Files.readAllBytes(dir.resolve("rsa-pub.pem"));
        assertThat(verifier("file:rsa-pub.pem").isValid(hs256(pem, HS, "{\"exp\":1700000100}"))).isFalse();
    }

    @Test
    void acceptsATokenMadeByTheReference() throws Exception {
        // captured from Pushpin 1.36 with sig_key=changeme; valid until 1795818595
        String reference = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"
                + ".eyJleHAiOjE3OTU4MTg1OTUsImlzcyI6InB1c2hwaW4ifQ"
                + ".tHeIxirGEy7Ac-qxhJx-11kPWkSb87awM0ucuAidNAA";
        SigningKey key = SigningKey.parse("changeme", dir);
        assertThat(new GripSigVerifier(key, () -> 1_795_818_594_999L).isValid(reference)).isTrue();
        assertThat(new GripSigVerifier(key, () -> 1_795_818_595_000L).isValid(reference)).isFalse();
    }
}
