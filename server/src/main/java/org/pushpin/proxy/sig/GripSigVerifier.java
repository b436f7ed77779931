package org.pushpin.proxy.sig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Decides whether a client's {@code Grip-Sig} makes it trusted (docs/grip.md#trusted-clients, 1.36
 * {@code validate_token}): the header's {@code alg} is the key's, the signature is valid with {@code upstream_key}, the
 * claims are a JSON object, and {@code exp} is present, positive and later than now. {@code iss} is not checked, nor
 * {@code nbf}/{@code aud}.
 *
 * <p>{@code exp} is read as 1.36 reads it with {@code QVariant::toInt}: a number (rounded) or a numeric string; any
 * other value counts as 0. One difference: 1.36 narrows it to 32 bits, which wraps values after 2038 into the past;
 * here it stays 64-bit.
 *
 * <p>Never throws on bad input: anything unreadable is simply not valid. Thread-safe.
 */
public final class GripSigVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JWSAlgorithm algorithm;
    private final JWSVerifier verifier;
    private final LongSupplier clockMillis;

    /**
     * @param key the {@code upstream_key}; for a {@code file:} key the public key is used (derived from a private
     *            key file when needed)
     * @throws IllegalArgumentException if the key cannot verify
     */
    public GripSigVerifier(SigningKey key) {
        this(key, System::currentTimeMillis);
    }

    GripSigVerifier(SigningKey key, LongSupplier clockMillis) {
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        if (!key.canVerify()) {
            throw new IllegalArgumentException("key cannot verify: " + key);
        }
        this.algorithm = JWSAlgorithm.parse(key.algorithm().name());
        try {
            this.verifier = key.newVerifier();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key " + key + ": " + e.getMessage(), e);
        }
    }

    /** True if {@code token} (a {@code Grip-Sig} value) is valid now. */
    public boolean isValid(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!algorithm.equals(jws.getHeader().getAlgorithm()) || !jws.verify(verifier)) {
                return false;
            }
            JsonNode claims = JSON.readTree(jws.getPayload().toBytes());
            if (claims == null || !claims.isObject()) {
                return false;
            }
            long exp = expOf(claims.get("exp"));
            return exp > 0 && Math.floorDiv(clockMillis.getAsLong(), 1000L) < exp;
        } catch (Exception e) {
            // garbage of any kind (bad base64, JSON, header, signature length) is just invalid
            return false;
        }
    }

    private static long expOf(JsonNode exp) {
        if (exp == null) {
            return 0;
        }
        if (exp.isIntegralNumber()) {
            return exp.longValue();
        }
        if (exp.isNumber()) {
            double d = exp.doubleValue();
            return d >= 0 ? (long) (d + 0.5) : (long) (d - 0.5);
        }
        if (exp.isTextual()) {
            return parseLong(exp.textValue());
        }
        return 0;
    }

    /** {@code QString::toLongLong}: trimmed, optional sign, decimal; 0 when not a number. */
    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
