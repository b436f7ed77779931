package org.pushpin.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pushpin.conf key this server knows, with its default and what it does with it: the list the configuration
 * reference (docs/config-reference.md) is generated from. The keys read are not written down here but found by
 * reading an empty file with {@link Settings} noting each read, so a key added to the code is in the reference at
 * once; only what the code cannot say by itself (warned limits, keys of Pushpin's multi-process design) is listed.
 */
public final class ConfigKeys {
    /** The type of a key read raw by a custom parser. */
    static final String RAW = "value";

    /** What this server does with a key. */
    public enum Status {
        /** Read and applied. */
        APPLIED,
        /** Read and applied in part; what is not is named in a start-up warning. */
        WARNED,
        /** A key of Pushpin's multi-process design: accepted, never read (one process does that work here). */
        NOT_APPLICABLE
    }

    /** One key as read: its type ({@code string}, {@code list}, {@code integer}, {@code boolean}, {@code port}). */
    public record Key(String section, String key, String type, String def) {
    }

    /** Of two reads of one key, the one that says what it is: a typed read wins over a raw one, else the first. */
    static Key typedFirst(Key first, Key then) {
        return first.type().equals(RAW) ? then : first;
    }

    /** One row of the reference. {@code note} says what is warned or why the key has nothing to do. */
    public record Entry(String section, String key, String type, String def, Status status, String note) {
    }

    /** Keys read, but not wholly applied: the start-up warning's gist. */
    private static final Map<String, String> WARNED = Map.of(
            "handler.stats_spec", "tcp:// only; report packets lack the byte and WebSocket message counters",
            "handler.push_in_spec", "tcp:// only (an ipc:// spec is warned about and not opened)",
            "handler.push_in_sub_specs", "tcp:// only (an ipc:// spec is warned about and not opened)",
            "handler.command_spec", "tcp:// only (an ipc:// spec is warned about and not opened)");

    /** Keys Pushpin reads for its separate processes; never read here ({@code section.key}). */
    private static final List<String> NOT_APPLICABLE = List.of(
            "runner.services", "runner.condure_bin", "runner.zurl_bin", "runner.mongrel2_bin", "runner.m2sh_bin",
            "runner.pushpin_proxy_bin", "runner.pushpin_handler_bin", "runner.m2adapter_bin",
            "runner.ipc_file_mode", "global.ipc_file_mode", "proxy.updates_check", "proxy.organization_name");
    /** Name prefixes of the socket specs between Pushpin's processes (internal.conf), in any section. */
    private static final List<String> NOT_APPLICABLE_PREFIXES = List.of("condure_", "zurl_", "m2a_", "handler_",
            "proxy_", "intreq_", "state_spec");

    /** Whether {@code section.key} belongs to Pushpin's multi-process design (accepted, never read here). */
    static boolean notApplicable(String section, String key) {
        return NOT_APPLICABLE.contains(section + "." + key)
                || NOT_APPLICABLE_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private ConfigKeys() {
    }

    /** Every key: those read, in the order the code reads them, then the ones with nothing to do here. */
    public static List<Entry> all() {
        Map<String, Key> reads = new LinkedHashMap<>();
        // [global] keys that ConfigLoader reads raw, before substitution exists
        reads.put("global/include", new Key("global", "include", "string", ""));
        reads.put("global/libdir", new Key("global", "libdir", "string", ConfigLoader.LIBDIR));
        reads.put("global/rundir", new Key("global", "rundir", "string", ""));
        try {
            ConfigLoader.readAllKeys(reads);
        } catch (ConfigException e) {
            throw new IllegalStateException("an empty pushpin.conf must load", e);
        }
        List<Entry> out = new ArrayList<>();
        for (Key k : reads.values()) {
            String id = k.section() + "." + k.key();
            String note = WARNED.get(id);
            out.add(new Entry(k.section(), k.key(), k.type(), k.def(), note == null ? Status.APPLIED : Status.WARNED,
                    note == null ? "" : note));
        }
        for (String id : NOT_APPLICABLE) {
            int dot = id.indexOf('.');
            out.add(new Entry(id.substring(0, dot), id.substring(dot + 1), "", "", Status.NOT_APPLICABLE,
                    "Pushpin's multi-process design"));
        }
        for (String prefix : NOT_APPLICABLE_PREFIXES) {
            out.add(new Entry("any section", prefix + (prefix.endsWith("_") ? "*" : ""), "", "",
                    Status.NOT_APPLICABLE, "a socket between Pushpin's processes"));
        }
        return out;
    }
}
