package org.pushpin.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for parser fuzzing: valid seeds mutated a few bytes at a time (a byte inserted, deleted or replaced by one
 * a parser is likely to trip on: delimiters, quotes, escapes, controls, non-ASCII, digits) and sometimes cut short.
 * Mutating valid input reaches far deeper into a parser than random bytes, which the first check turns away.
 */
public final class Mutations {
    /** Bytes that mean something to the parsers we fuzz, plus controls and a UTF-8 lead byte. */
    private static final List<Integer> SPECIAL = List.of(0, (int) '\r', (int) '\n', (int) ' ', (int) '\t', 0x7f,
            0xc3, 0xff, (int) ':', (int) '=', (int) ',', (int) ';', (int) '"', (int) '\'', (int) '\\', (int) '{',
            (int) '}', (int) '[', (int) ']', (int) '#', (int) '*', (int) '/', (int) '<', (int) '>', (int) '0',
            (int) '9', (int) '-', (int) '.', (int) 'e', (int) 'x');

    private Mutations() {
    }

    /** Each seed with 0 to 6 edits, and one time in four cut at a random point. */
    public static Arbitrary<byte[]> of(List<String> seeds) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 10_000), Arbitraries.of(SPECIAL))
                .as((kind, at, b) -> new int[] {kind, at, b});
        return Combinators.combine(Arbitraries.of(seeds), edit.list().ofMaxSize(6),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000))
                .as((seed, edits, cut, cutAt) -> {
                    byte[] b = seed.getBytes(StandardCharsets.UTF_8);
                    for (int[] e : edits) {
                        b = apply(b, e[0], e[1], (byte) e[2]);
                    }
                    if (cut == 0 && b.length > 0) {
                        b = java.util.Arrays.copyOf(b, cutAt % b.length);
                    }
                    return b;
                });
    }

    /** As {@link #of}, as text (a bad UTF-8 sequence becomes U+FFFD, as a reader of the bytes would see it). */
    public static Arbitrary<String> textOf(List<String> seeds) {
        return of(seeds).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static byte[] apply(byte[] b, int kind, int at, byte value) {
        int i = b.length == 0 ? 0 : at % (b.length + (kind == 0 ? 1 : 0));
        switch (kind) {
            case 0 -> { // insert
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, i);
                out[i] = value;
                System.arraycopy(b, i, out, i + 1, b.length - i);
                return out;
            }
            case 1 -> { // delete
                if (b.length == 0) {
                    return b;
                }
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, i);
                System.arraycopy(b, i + 1, out, i, b.length - i - 1);
                return out;
            }
            default -> { // replace
                if (b.length == 0) {
                    return b;
                }
                byte[] out = b.clone();
                out[i] = value;
                return out;
            }
        }
    }
}
