package org.pushpin.grip;

/** What the origin asked Pushpin to do with the client connection (Grip-Hold / JSON {@code hold.mode}). */
public enum HoldMode {
    /** No hold: the client gets the instruct's response, then the next link's content if there is one. */
    NONE,
    /** Long-poll: nothing is sent until a publish or the timeout. */
    RESPONSE,
    /** Stream: the response starts at once and published content is appended. */
    STREAM
}
