package org.pushpin.proxy.sig;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 for secrets nimbus refuses: {@code MACSigner} and {@code MACVerifier} demand at least 256 bits (RFC 7518
 * §3.2), but Pushpin's default {@code sig_key} is {@code changeme} and 1.36 accepts any length, even empty. The JWS
 * structure stays nimbus's; only the MAC is computed here with {@link Mac}.
 *
 * <p>An empty secret is replaced by one zero byte: HMAC pads keys shorter than the block with zeros, so both give
 * the same MAC, and {@link SecretKeySpec} rejects empty keys.
 */
final class ShortSecretHmac implements JWSSigner, JWSVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256);

    private final SecretKeySpec key;
    private final JCAContext jcaContext = new JCAContext();

    ShortSecretHmac(byte[] secret) {
        this.key = new SecretKeySpec(secret.length == 0 ? new byte[1] : secret.clone(), "HmacSHA256");
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        return Base64URL.encode(mac(signingInput));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) throws JOSEException {
        return JWSAlgorithm.HS256.equals(header.getAlgorithm())
                && MessageDigest.isEqual(mac(signedContent), signature.decode());
    }

    private byte[] mac(byte[] input) throws JOSEException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new JOSEException("HMAC failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
