package org.pushpin.proxy.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pushpin.proxy.sig.SigTesting.ecKeyPair;
import static org.pushpin.proxy.sig.SigTesting.pem;
import static org.pushpin.proxy.sig.SigTesting.pkcs8;
import static org.pushpin.proxy.sig.SigTesting.rsaKeyPair;
import static org.pushpin.proxy.sig.SigTesting.sec1WithoutPublic;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigningKeyTest {
    @TempDir
    static Path dir;
    static KeyPair ec;
    static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        ec = ecKeyPair("secp256r1");
        rsa = rsaKeyPair();
        SigTesting.sec1(dir, "ec-sec1.pem", ec, true);        // EC PRIVATE KEY, with public key
        pkcs8(dir, "ec-pkcs8.pem", ec);                        // PRIVATE KEY
        sec1WithoutPublic(dir, "ec-bare.pem", ec);             // EC PRIVATE KEY, public key to derive
        pem(dir, "ec-pub.pem", ec.getPublic());                // PUBLIC KEY
        pem(dir, "rsa-pkcs1.pem", rsa.getPrivate());           // RSA PRIVATE KEY
        pkcs8(dir, "rsa-pkcs8.pem", rsa);
        pem(dir, "rsa-pub.pem", rsa.getPublic());
        pkcs8(dir, "p384.pem", ecKeyPair("secp384r1"));
        pem(dir, "params.pem", new org.bouncycastle.util.io.pem.PemObject("EC PARAMETERS",
                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1.getEncoded()));
        Files.writeString(dir.resolve("hex.key"), "  6368616e67\n656d65 \n");
        Files.writeString(dir.resolve("junk.pem"), "-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "ec-sec1.pem   ~ ES256 ~ true  ~ true",
        "ec-pkcs8.pem  ~ ES256 ~ true  ~ true",
        "ec-bare.pem   ~ ES256 ~ true  ~ true",
        "ec-pub.pem    ~ ES256 ~ false ~ true",
        "rsa-pkcs1.pem ~ RS256 ~ true  ~ true",
        "rsa-pkcs8.pem ~ RS256 ~ true  ~ true",
        "rsa-pub.pem   ~ RS256 ~ false ~ true",
        "hex.key       ~ HS256 ~ true  ~ true",
    })
    void readsKeyFilesRelativeToTheConfigDir(String file, SigningKey.Algorithm alg, boolean canSign,
            boolean canVerify) throws Exception {
        SigningKey key = SigningKey.parse("file:" + file, dir);
        assertThat(key.algorithm()).isEqualTo(alg);
        assertThat(key.canSign()).isEqualTo(canSign);
        assertThat(key.canVerify()).isEqualTo(canVerify);
        SigningKey absolute = SigningKey.parse("file:" + dir.resolve(file), Path.of("/nonexistent"));
        assertThat(absolute.algorithm()).isEqualTo(alg);
    }

    @Test
    void derivesTheSamePublicKeyAsGenerated() throws Exception {
        assertThat(SigningKey.parse("file:ec-bare.pem", dir).publicKey().getEncoded())
                .isEqualTo(ec.getPublic().getEncoded());
        assertThat(SigningKey.parse("file:rsa-pkcs8.pem", dir).publicKey().getEncoded())
                .isEqualTo(rsa.getPublic().getEncoded());
    }

    @ParameterizedTest(name = "[{index}] `{0}`")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "changeme                 ~ 6368616e67656d65",
        "``                       ~ ``",
        "base64:Y2hhbmdlbWU=      ~ 6368616e67656d65",
        "base64:Y2hh bmdl!bWU     ~ 6368616e67656d65",
        "base64:                  ~ ``",
        "BASE64:Y2hh              ~ 4241534536343a59326868",
        "caf\u00e9                ~ 636166c3a9",
        "file                     ~ 66696c65",
    })
    void readsSecrets(String spec, String hex) throws Exception {
        SigningKey key = SigningKey.parse(spec, dir);
        assertThat(key.algorithm()).isEqualTo(SigningKey.Algorithm.HS256);
        assertThat(java.util.HexFormat.of().formatHex(key.secret())).isEqualTo(hex);
        assertThat(key.isEmptySecret()).isEqualTo(hex.isEmpty());
        assertThat(key.toString()).doesNotContain(spec.isEmpty() ? "\u0000" : spec);
    }

    @Test
    void readsHexKeyFilesLikeQt() throws Exception {
        assertThat(SigningKey.parse("file:hex.key", dir).secret())
                .isEqualTo("changeme".getBytes(StandardCharsets.UTF_8));
        assertThat(QtCodec.fromHex("a1b".getBytes(StandardCharsets.US_ASCII))).containsExactly(0x0a, 0x1b);
        assertThat(QtCodec.fromHex("zz0Fxx".getBytes(StandardCharsets.US_ASCII))).containsExactly(0x0f);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "file:missing.pem ~ unable to read key file",
        "file:junk.pem    ~ unable to read PEM key",
        "file:params.pem  ~ no unencrypted key found",
        "file:p384.pem    ~ is not on curve P-256",
        "file:            ~ unable to read key file",
    })
    void rejectsUnusableKeyFiles(String spec, String message) {
        assertThatThrownBy(() -> SigningKey.parse(spec, dir))
                .isInstanceOf(SigningKeyException.class).hasMessageContaining(message);
    }

    @Test
    void rejectsTruncatedPem() throws Exception {
        String text = Files.readString(dir.resolve("rsa-pkcs8.pem"));
        Files.writeString(dir.resolve("cut.pem"), text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> SigningKey.parse("file:cut.pem", dir)).isInstanceOf(SigningKeyException.class);
    }
}
