package org.pushpin.message;

/** One delivery format of a published item; a hold takes the one that fits its kind. */
public sealed interface Format permits HttpResponseFormat, HttpStreamFormat, WsMessageFormat {
    Action action();

    /** {@code content-filters} as published (compared with a subscription's content filters), never null. */
    java.util.List<String> contentFilters();
}
