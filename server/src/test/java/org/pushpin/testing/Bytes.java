package org.pushpin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;

/** Test payloads: deterministic pseudo-random bytes, digests, and streams that never hold the whole thing. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endless test pattern repeats this block; its prime length is no multiple of any buffer size. */
    private static final byte[] PATTERN = random(65_521, 0x5eed);

    /** Writes {@code length} bytes of the endless pattern in 64 KiB pieces; returns their CRC32. */
    public static long writePattern(OutputStream out, long length) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        while (written < length) {
            int n = (int) Math.min(buf.length, length - written);
            int filled = 0;
            while (filled < n) {
                int at = (int) ((written + filled) % PATTERN.length);
                int take = Math.min(n - filled, PATTERN.length - at);
                System.arraycopy(PATTERN, at, buf, filled, take);
                filled += take;
            }
            crc.update(buf, 0, n);
            out.write(buf, 0, n);
            written += n;
        }
        out.flush();
        return crc.getValue();
    }

    /** The CRC32 that {@link #writePattern} gives for {@code length} bytes. */
    public static long patternCrc(long length) {
        try {
            return writePattern(OutputStream.nullOutputStream(), length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a sink saw: byte count and CRC32. */
    public record Count(long bytes, long crc) {
    }

    /** Reads {@code in} to its end, counting and checksumming without keeping anything. */
    public static Count drain(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            crc.update(buf, 0, n);
            total += n;
        }
        return new Count(total, crc.getValue());
    }
}
