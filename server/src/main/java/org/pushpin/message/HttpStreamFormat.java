package org.pushpin.message;

import java.util.List;

/** {@code http-stream}: bytes appended to stream holds; {@code close} ends them. */
public record HttpStreamFormat(Action action, byte[] content, List<String> contentFilters) implements Format {
}
