package org.pushpin.grip;

import java.util.Arrays;

/**
 * Stream keep-alive: {@code data} is written when the stream has been quiet for {@code timeout} seconds (less a
 * random 0–1 s, the hold's job).
 *
 * @param data    the bytes to write, already decoded (raw, cstring or base64); may be empty for a JSON keep-alive
 *                without content
 * @param timeout seconds, at least 1
 * @param mode    when the timer restarts
 */
public record KeepAlive(byte[] data, int timeout, Mode mode) {
    /** {@code IDLE}: every published write restarts the timer. {@code INTERVAL}: it fires regardless. */
    public enum Mode { IDLE, INTERVAL }

    public KeepAlive {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeepAlive k && timeout == k.timeout && mode == k.mode && Arrays.equals(data, k.data);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(data) * 31 + timeout) * 31 + mode.hashCode();
    }

    @Override
    public String toString() {
        return "KeepAlive[data=" + Arrays.toString(data) + ", timeout=" + timeout + ", mode=" + mode + "]";
    }
}
