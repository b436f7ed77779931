package org.pushpin.proxy.sig;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/** Key material and hand-made tokens for the Grip-Sig tests. */
final class SigTesting {
    private SigTesting() {
    }

    static KeyPair ecKeyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** Writes an object the way BouncyCastle's PEM writer encodes it (traditional OpenSSL formats for keys). */
    static Path pem(Path dir, String name, Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sw.toString(), StandardCharsets.US_ASCII);
        return p;
    }

    /** A PKCS#8 {@code PRIVATE KEY} file. */
    static Path pkcs8(Path dir, String name, KeyPair kp) throws IOException {
        return pem(dir, name, new JcaPKCS8Generator(kp.getPrivate(), null));
    }

    /** A SEC1 {@code EC PRIVATE KEY} file (as OpenSSL writes it) on P-256, with or without the public key. */
    static Path sec1(Path dir, String name, KeyPair kp, boolean withPublic) throws IOException {
        ECPrivateKey priv = (ECPrivateKey) kp.getPrivate();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = withPublic
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(),
                        SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData(),
                        SECObjectIdentifiers.secp256r1)
                : new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), SECObjectIdentifiers.secp256r1);
        return pem(dir, name, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    /** A SEC1 file without the optional public key, so it must be derived. */
    static Path sec1WithoutPublic(Path dir, String name, KeyPair kp) throws IOException {
        return sec1(dir, name, kp, false);
    }

    static String b64url(byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    static String b64url(String text) {
        return b64url(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacSha256(byte[] key, String input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    }

    /** An HS256-signed token with exactly this header and payload JSON, made without nimbus. */
    static String hs256(byte[] secret, String headerJson, String payloadJson) throws GeneralSecurityException {
        String input = b64url(headerJson) + "." + b64url(payloadJson);
        return input + "." + b64url(hmacSha256(secret, input));
    }

    static String decodeSegment(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }
}
