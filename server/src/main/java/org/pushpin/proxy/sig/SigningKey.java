package org.pushpin.proxy.sig;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * A {@code sig_key} / {@code upstream_key} / route {@code sig_key} value, read as Pushpin 1.36 reads it
 * ({@code Jwt::EncodingKey::fromConfigString}, docs/grip.md#grip-sig):
 * <ul>
 *   <li>{@code base64:<b64>}: binary HMAC secret (HS256), decoded leniently as Qt does;</li>
 *   <li>{@code file:<path>}: a file, relative to the config directory unless absolute; PEM content is a key (EC
 *       → ES256, RSA → RS256; private or public; PKCS#1, PKCS#8, SEC1 or X.509), anything else is an HMAC secret
 *       written in hex;</li>
 *   <li>anything else, the empty string included: the UTF-8 bytes are the HMAC secret. 1.36 does sign with an
 *       empty secret, so this does too.</li>
 * </ul>
 */
public final class SigningKey {
    /** The JWS algorithm a key implies. */
    public enum Algorithm { HS256, ES256, RS256 }

    /** Shortest HMAC secret nimbus's MACSigner/MACVerifier accept (256 bits). */
    private static final int MIN_NIMBUS_SECRET = 32;

    private final Algorithm algorithm;
    private final byte[] secret;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(Algorithm algorithm, byte[] secret, PrivateKey privateKey, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.secret = secret;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * @param keySpec   the config value
     * @param configDir base for a relative {@code file:} path
     * @throws SigningKeyException when a key file cannot be read or holds no usable key (1.36 then silently has
     *                             no key: no Grip-Sig is added and no client is trusted)
     */
    public static SigningKey parse(String keySpec, Path configDir) throws SigningKeyException {
        Objects.requireNonNull(keySpec, "keySpec");
        if (keySpec.startsWith("file:")) {
            Path file = Path.of(keySpec.substring(5));
            if (!file.isAbsolute() && configDir != null) {
                file = configDir.resolve(file);
            }
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (IOException | RuntimeException e) {
                throw new SigningKeyException("unable to read key file " + file + ": " + e.getMessage(), e);
            }
            if (startsWith(data, "-----BEGIN")) {
                return fromPem(data, file.toString());
            }
            return hmac(QtCodec.fromHex(QtCodec.trim(data)));
        }
        if (keySpec.startsWith("base64:")) {
            return hmac(QtCodec.fromBase64(keySpec.substring(7).getBytes(StandardCharsets.UTF_8)));
        }
        return hmac(keySpec.getBytes(StandardCharsets.UTF_8));
    }

    /** An HMAC (HS256) key with this secret, which may be of any length, even empty. */
    public static SigningKey hmac(byte[] secret) {
        return new SigningKey(Algorithm.HS256, secret.clone(), null, null);
    }

    /** A key pair or a lone key read from a PEM file; at least one of them is non-null. */
    static SigningKey fromKeys(PrivateKey privateKey, PublicKey publicKey) {
        Object any = privateKey != null ? privateKey : publicKey;
        Algorithm alg = any instanceof ECKey ? Algorithm.ES256 : Algorithm.RS256;
        return new SigningKey(alg, null, privateKey, publicKey);
    }

    private static SigningKey fromPem(byte[] data, String source) throws SigningKeyException {
        return PemKeys.read(new String(data, StandardCharsets.US_ASCII), source);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** Whether tokens can be made with this key (HMAC, or a private key was given). */
    public boolean canSign() {
        return secret != null || privateKey != null;
    }

    /** Whether tokens can be checked with this key (HMAC, or a public key was given or derived). */
    public boolean canVerify() {
        return secret != null || publicKey != null;
    }

    /** True for an HMAC key with an empty secret (an empty {@code sig_key}). */
    public boolean isEmptySecret() {
        return secret != null && secret.length == 0;
    }

    byte[] secret() {
        return secret;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** A nimbus signer for this key; nimbus's own where it accepts the key, ours for short HMAC secrets. */
    JWSSigner newSigner() throws JOSEException {
        return switch (algorithm) {
            case HS256 -> secret.length >= MIN_NIMBUS_SECRET ? new MACSigner(secret) : new ShortSecretHmac(secret);
            case ES256 -> new ECDSASigner((ECPrivateKey) privateKey);
            // ring (1.36) refuses RSA keys under 2048 bits; accepting them here only widens what works
            case RS256 -> new RSASSASigner(privateKey, true);
        };
    }

    /** A nimbus verifier for this key (see {@link #newSigner}). */
    JWSVerifier newVerifier() throws JOSEException {
        return switch (algorithm) {
            case HS256 -> secret.length >= MIN_NIMBUS_SECRET ? new MACVerifier(secret) : new ShortSecretHmac(secret);
            case ES256 -> new ECDSAVerifier((ECPublicKey) publicKey);
            case RS256 -> new RSASSAVerifier((RSAPublicKey) publicKey);
        };
    }

    private static boolean startsWith(byte[] data, String prefix) {
        if (data.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        // never the secret
        return "SigningKey[" + algorithm + (secret != null ? ", " + secret.length + "-byte secret" : "")
                + (privateKey != null ? ", private" : "") + (publicKey != null ? ", public" : "") + "]";
    }
}
