package org.pushpin.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's whole process tree, read from {@code /proc}: the root ({@code pid}, e.g. the process-group leader a
 * script started) and all its descendants. The reference is several processes (runner, condure, zurl,
 * pushpin-proxy, pushpin-handler); figures are summed over all of them, so both servers are compared whole.
 */
public final class ProcessTree {
    /** Clock ticks per second of utime/stime in /proc/PID/stat; 100 on every Linux build we run on. */
    static final int CLOCK_TICKS = 100;

    private final long pid;

    public ProcessTree(long pid) {
        this.pid = pid;
    }

    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            all.add(p);
            p.descendants().forEach(all::add);
        });
        return all;
    }

    /** RSS in kB per process name ({@code comm}), summed over the tree. */
    public Map<String, Long> rssKbByName() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (ProcessHandle p : processes()) {
            String name = "?";
            long kb = 0;
            try {
                for (String line : Files.readAllLines(proc(p, "status"))) {
                    if (line.startsWith("Name:")) {
                        name = line.substring(5).trim();
                    } else if (line.startsWith("VmRSS:")) {
                        kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (NoSuchFileException gone) {
                continue;
            }
            m.merge(name, kb, Long::sum);
        }
        return m;
    }

    public long rssKb() throws IOException {
        return rssKbByName().values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU time (user + system) used so far by the processes now in the tree, in clock ticks. */
    public long cpuTicks() throws IOException {
        long ticks = 0;
        for (ProcessHandle p : processes()) {
            String stat;
            try {
                stat = Files.readString(proc(p, "stat"));
            } catch (NoSuchFileException gone) {
                continue;
            }
            // fields after the command name, which may itself hold spaces and parentheses
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        }
        return ticks;
    }

    /**
     * The live heap of the tree's JVM: {@code jcmd PID GC.run} (a full collection with G1 or Parallel), then the
     * "used" figure of {@code jcmd PID GC.heap_info}, in kB.
     */
    public long liveHeapKb() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no 'used NK' in GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1));
    }

    /** {@code jcmd PID COMMAND} on the tree's JVM; its output. */
    public String jcmd(String command) throws IOException, InterruptedException {
        long javaPid = processes().stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("no java process in the tree of " + pid));
        return jcmd(javaPid, command);
    }

    private static Path proc(ProcessHandle p, String file) {
        return Path.of("/proc", Long.toString(p.pid()), file);
    }

    private static String jcmd(long javaPid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(javaPid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + javaPid + " " + command + " failed:\n" + out);
        }
        return out;
    }
}
