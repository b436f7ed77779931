package org.pushpin.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** About the machine a run is on: cores, CPU model, RAM, kernel; how busy it is. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %s RAM, %s %s",
                Runtime.getRuntime().availableProcessors(), procLine("/proc/cpuinfo", "model name"),
                memTotal(), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** The 1-minute load average: the machine is shared, and other work skews every figure. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        String kb = procLine("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "");
        return kb.isEmpty() ? "?" : String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(kb) / 1048576.0);
    }
}
