package org.pushpin.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One header line as it was on the wire: name case and order kept, duplicates kept. */
public record Header(String name, String value) {

    public boolean is(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }

    /** First value of {@code name} (case-insensitive). */
    public static Optional<String> first(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.is(name)).map(Header::value).findFirst();
    }

    /** Every value of {@code name} (case-insensitive), in order. */
    public static List<String> all(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.is(name)).map(Header::value).toList();
    }

    /** Every comma-separated token of every {@code name} header, trimmed and lower-cased. */
    public static List<String> tokens(List<Header> headers, String name) {
        List<String> out = new ArrayList<>();
        for (String v : all(headers, name)) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** Names of all headers, lower-cased, in order. */
    public static List<String> names(List<Header> headers) {
        return headers.stream().map(h -> h.name().toLowerCase(Locale.ROOT)).toList();
    }
}
