package org.pushpin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Just enough JWT (HS256, with javax.crypto) to check Grip-Sig and to act as a trusted client. */
public final class Jwt {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Jwt() {
    }

    /** A decoded token; {@code signatureValid} says whether the HS256 MAC matched the key it was checked with. */
    public record Decoded(JsonNode header, JsonNode claims, boolean signatureValid) {
    }

    /** Decodes {@code token} and checks its HS256 signature with {@code key} (raw secret bytes). */
    public static Decoded decodeHs256(String token, byte[] key) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new AssertionError("not a JWS compact token: " + token);
        }
        try {
            JsonNode header = JSON.readTree(B64D.decode(parts[0]));
            JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
            byte[] expected = hmac(key, parts[0] + "." + parts[1]);
            boolean valid = MessageDigest.isEqual(expected, B64D.decode(parts[2]));
            return new Decoded(header, claims, valid);
        } catch (java.io.IOException e) {
            throw new AssertionError("bad JWT JSON in " + token, e);
        }
    }

    public static Decoded decodeHs256(String token, String key) {
        return decodeHs256(token, key.getBytes(StandardCharsets.UTF_8));
    }

    /** An HS256 token with header {@code {"typ":"JWT","alg":"HS256"}} and these claims. */
    public static String signHs256(Map<String, Object> claims, String key) {
        try {
            String h = B64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
            String c = B64.encodeToString(JSON.writeValueAsBytes(claims));
            return h + "." + c + "." + B64.encodeToString(hmac(key.getBytes(StandardCharsets.UTF_8), h + "." + c));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        if (key.length == 0) {
            // legal for HMAC, but SecretKeySpec refuses it; no test relies on 1.36's empty-key signing
            throw new AssertionError("empty HMAC keys are not used by these tests");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
