package org.pushpin.grip;

/**
 * An origin's instruction that cannot be used. The message is exactly what Pushpin 1.36 prints after
 * {@code Failed to parse accept instructions: } in a debug-mode 502 (it may be empty: 1.36 gives no message for a
 * JSON {@code response} that is not an object).
 */
public final class InstructException extends Exception {
    public InstructException(String message) {
        super(message, null, false, false);
    }
}
