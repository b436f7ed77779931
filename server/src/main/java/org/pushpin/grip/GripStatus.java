package org.pushpin.grip;

import java.util.Objects;

/**
 * A {@code Grip-Status} override, already applied to {@link Instruct#response()}; kept apart for a proxy that must
 * start the response itself (a stream instruct larger than the buffer).
 *
 * @param code   0–999
 * @param reason the given reason, or the standard one for the code when none was given (byte string)
 */
public record GripStatus(int code, String reason) {
    public GripStatus {
        Objects.requireNonNull(reason, "reason");
    }
}
