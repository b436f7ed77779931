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

    /** Byte {@code i} of the endless pattern used by {@link #writePattern} (not a multiple of any buffer size). */
    public static byte patternByte(long i) {
        return (byte) ((i * 31 + (i >>> 13)) % 251);
    }

    /** Writes {@code length} bytes of the pattern in 64 KiB pieces; returns their CRC32. */
    public static long writePattern(OutputStream out, long length) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        while (written < length) {
            int n = (int) Math.min(buf.length, length - written);
            for (int i = 0; i < n; i++) {
                buf[i] = patternByte(written + i);
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
