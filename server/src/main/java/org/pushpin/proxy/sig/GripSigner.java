package org.pushpin.proxy.sig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Makes the {@code Grip-Sig} token Pushpin puts on proxied requests (docs/grip.md#grip-sig): a JWS with header exactly
 * {@code {"typ":"JWT","alg":"HS256"}} (or ES256 / RS256 per key) and claims {@code {"exp":<now+3600>,"iss":<iss>}},
 * byte for byte as 1.36 writes them (keys sorted, as its serde_json map does).
 *
 * <p>Library: nimbus-jose-jwt. It is the most used JOSE library on the JVM, covers HS256, ES256 (with the raw R||S
 * signature JWS needs) and RS256 over plain JCA keys with no further dependency, keeps a parsed header's exact
 * bytes (so our header matches 1.36's member order), and lets us plug in our own signer for the short HMAC secrets
 * it refuses by policy. jjwt has the same refusal and no such hook; auth0 java-jwt needs its own key wrappers and
 * re-serialises headers.
 *
 * <p>Caching: this runs on every proxied request, so the token is made at most once per second and shared. 1.36
 * makes a fresh token per request with {@code exp} at whole-second resolution, so within one second its tokens
 * carry the same claims as our cached one: an origin cannot tell the difference. Caching per minute would cost
 * either up to 59 s of lifetime or an {@code exp} further out than 1.36's; a signature per second per signer is
 * already negligible. Thread-safe without locks: two threads may both sign at a second boundary, both tokens are
 * valid and the last one stays cached.
 */
public final class GripSigner {
    /** Token lifetime, seconds. */
    public static final long LIFETIME = 3600;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(long second, String token) {
    }

    private final String issuer;
    private final JWSSigner signer;
    private final JWSHeader header;
    private final LongSupplier clockMillis;
    private volatile Cached cached;

    /**
     * @param issuer the {@code iss} claim ({@code sig_iss})
     * @param key    a key that {@linkplain SigningKey#canSign() can sign}
     * @throws IllegalArgumentException if the key cannot sign (a public key only)
     */
    public GripSigner(String issuer, SigningKey key) {
        this(issuer, key, System::currentTimeMillis);
    }

    GripSigner(String issuer, SigningKey key, LongSupplier clockMillis) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        if (!key.canSign()) {
            throw new IllegalArgumentException("key cannot sign: " + key);
        }
        try {
            this.signer = key.newSigner();
            this.header = JWSHeader.parse(
                    Base64URL.encode("{\"typ\":\"JWT\",\"alg\":\"" + key.algorithm().name() + "\"}"));
        } catch (JOSEException | ParseException e) {
            throw new IllegalArgumentException("unusable key " + key + ": " + e.getMessage(), e);
        }
    }

    /** The current token (compact JWS), valid for {@link #LIFETIME} seconds from the current second. */
    public String sign() {
        long now = Math.floorDiv(clockMillis.getAsLong(), 1000L);
        Cached c = cached;
        if (c != null && c.second() == now) {
            return c.token();
        }
        String token = make(now + LIFETIME);
        cached = new Cached(now, token);
        return token;
    }

    private String make(long exp) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exp", exp);
        claims.put("iss", issuer);
        try {
            JWSObject jws = new JWSObject(header, new Payload(JSON.writeValueAsString(claims)));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException | JsonProcessingException e) {
            // 1.36 logs "failed to sign request" and sends no Grip-Sig; a working key never gets here
            throw new IllegalStateException("failed to sign Grip-Sig token: " + e.getMessage(), e);
        }
    }
}
