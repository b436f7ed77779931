package org.pushpin.proxy.sig;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the first key in a PEM file with BouncyCastle's {@link PEMParser}: {@code RSA PRIVATE KEY} (PKCS#1),
 * {@code EC PRIVATE KEY} (SEC1), {@code PRIVATE KEY} (PKCS#8), {@code PUBLIC KEY} / {@code RSA PUBLIC KEY}, or a
 * {@code CERTIFICATE}'s key. A private key's public half is taken from the file or derived, so one file serves both
 * for signing and for checking. EC keys must be on P-256 (ES256). Encrypted keys are not supported (nor by 1.36).
 */
final class PemKeys {
    private PemKeys() {
    }

    static SigningKey read(String pem, String source) throws SigningKeyException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                PrivateKey priv = null;
                PublicKey pub = null;
                if (o instanceof PEMKeyPair pair) {
                    priv = converter.getPrivateKey(pair.getPrivateKeyInfo());
                    if (pair.getPublicKeyInfo() != null) {
                        pub = converter.getPublicKey(pair.getPublicKeyInfo());
                    }
                } else if (o instanceof PrivateKeyInfo info) {
                    priv = converter.getPrivateKey(info);
                } else if (o instanceof SubjectPublicKeyInfo info) {
                    pub = converter.getPublicKey(info);
                } else if (o instanceof X509CertificateHolder cert) {
                    pub = converter.getPublicKey(cert.getSubjectPublicKeyInfo());
                } else {
                    continue; // parameters, encrypted keys: look further
                }
                return check(priv, pub != null ? pub : derivePublic(priv), source);
            }
        } catch (IOException | RuntimeException e) {
            throw new SigningKeyException("unable to read PEM key from " + source + ": " + e.getMessage(), e);
        }
        throw new SigningKeyException("no unencrypted key found in " + source);
    }

    private static SigningKey check(PrivateKey priv, PublicKey pub, String source) throws SigningKeyException {
        Object key = priv != null ? priv : pub;
        if (key instanceof ECKey ec) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new SigningKeyException("EC key in " + source + " is not on curve P-256, as ES256 requires");
            }
        } else if (!(key instanceof RSAKey)) {
            throw new SigningKeyException("key in " + source + " is neither EC nor RSA");
        }
        return SigningKey.fromKeys(priv, pub);
    }

    /** The public half of a private key, or null when it cannot be computed (RSA without CRT values). */
    static PublicKey derivePublic(PrivateKey priv) throws SigningKeyException {
        try {
            if (priv instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (priv instanceof ECPrivateKey ec && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                org.bouncycastle.math.ec.ECPoint q = ECNamedCurveTable.getParameterSpec("secp256r1").getG()
                        .multiply(ec.getS()).normalize();
                ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
            }
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SigningKeyException("unable to derive the public key: " + e.getMessage(), e);
        }
    }
}
