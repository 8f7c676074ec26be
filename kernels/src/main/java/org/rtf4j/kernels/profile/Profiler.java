package org.rtf4j.kernels.profile;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel-level profile of one backend (OpenCL event times on a device, wall-clock time per kernel call on
 * the JVM): per-name aggregates (count, total time) always, bytes copied each way always, and the full
 * event list when tracing is on (for a Chrome trace-event JSON that Perfetto opens). Aggregates are
 * O(kernels), so long runs do not grow memory.
 *
 * <p><b>Host waits</b> (records of kind {@link ProfileRecord#WAIT}: the host blocked on the device, e.g. a
 * blocking read) are counted apart from the commands: {@link #hostWaits()} and {@link #waitSummary()}, a
 * section of their own in {@link #table()}, and a track of their own in the trace. They are neither kernel
 * launches nor device time, so {@link #summary()} (whose total is device time) leaves them out. Only a device
 * backend records them; the JVM backend's calls are synchronous and never wait on a device.
 */
public final class Profiler {
    /** Aggregate of one kernel (or copy or build) name. */
    public record Entry(String kind, String name, long count, long totalNanos) {
        public double meanMicros() {
            return count == 0 ? 0 : totalNanos / 1e3 / count;
        }
    }

    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private final Map<String, long[]> waits = new LinkedHashMap<>();
    private final Map<String, String> kinds = new LinkedHashMap<>();
    private final List<ProfileRecord> trace = new ArrayList<>();
    private boolean tracing;
    private long bytesToDevice;
    private long bytesToHost;
    private long launches;
    private long hostWaits;

    public synchronized void record(ProfileRecord r) {
        if (tracing) {
            trace.add(r);
        }
        if (r.kind().equals(ProfileRecord.WAIT)) {
            long[] w = waits.computeIfAbsent(r.name(), k -> new long[2]);
            w[0]++;
            w[1] += Math.max(0, r.durationNanos());
            hostWaits++;
            return;
        }
        String key = r.kind() + ":" + r.name();
        long[] t = totals.computeIfAbsent(key, k -> new long[2]);
        t[0]++;
        t[1] += Math.max(0, r.durationNanos());
        kinds.putIfAbsent(key, r.kind());
        if (r.kind().equals("COPY_TO_DEVICE")) {
            bytesToDevice += r.bytes();
        } else if (r.kind().equals("COPY_TO_HOST")) {
            bytesToHost += r.bytes();
        } else if (r.kind().equals("KERNEL")) {
            launches++;
        }
    }

    /** Keeps every event from now on (for {@link #writeChromeTrace}); off by default. */
    public synchronized void setTracing(boolean on) {
        tracing = on;
    }

    /** Forgets everything recorded. */
    public synchronized void reset() {
        totals.clear();
        waits.clear();
        kinds.clear();
        trace.clear();
        bytesToDevice = 0;
        bytesToHost = 0;
        launches = 0;
        hostWaits = 0;
    }

    /** Bytes copied host → device since the last reset. */
    public synchronized long bytesToDevice() {
        return bytesToDevice;
    }

    /** Bytes copied device → host since the last reset. */
    public synchronized long bytesToHost() {
        return bytesToHost;
    }

    /** Kernel launches since the last reset. */
    public synchronized long kernelLaunches() {
        return launches;
    }

    /**
     * Times the host blocked on the device since the last reset (records of kind {@link ProfileRecord#WAIT}:
     * blocking reads, waits for pending commands); 0 on the JVM backend.
     */
    public synchronized long hostWaits() {
        return hostWaits;
    }

    /** Host waits per name (kind {@link ProfileRecord#WAIT}, total = time blocked), largest total first. */
    public synchronized List<Entry> waitSummary() {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : waits.entrySet()) {
            out.add(new Entry(ProfileRecord.WAIT, e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        out.sort((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
        return out;
    }

    /** Aggregates of the commands (host waits excluded, see {@link #waitSummary()}), largest total first. */
    public synchronized List<Entry> summary() {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            String name = e.getKey().substring(e.getKey().indexOf(':') + 1);
            out.add(new Entry(kinds.get(e.getKey()), name, e.getValue()[0], e.getValue()[1]));
        }
        out.sort((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
        return out;
    }

    /** Recorded events (tracing on). */
    public synchronized List<ProfileRecord> events() {
        return new ArrayList<>(trace);
    }

    /**
     * A table: kind, name, count, total ms, mean µs, share of all command time; then the host waits (time
     * blocked, no share: it overlaps the commands), and a line of totals.
     */
    public synchronized String table() {
        List<Entry> s = summary();
        long all = 0;
        for (Entry e : s) {
            all += e.totalNanos();
        }
        StringBuilder b = new StringBuilder(String.format("%-15s %-28s %8s %11s %10s %7s%n", "kind", "name", "count",
            "total ms", "mean us", "share"));
        for (Entry e : s) {
            b.append(String.format("%-15s %-28s %8d %11.3f %10.2f %6.1f%%%n", e.kind(), e.name(), e.count(),
                e.totalNanos() / 1e6, e.meanMicros(), all == 0 ? 0 : 100.0 * e.totalNanos() / all));
        }
        for (Entry e : waitSummary()) {
            b.append(String.format("%-15s %-28s %8d %11.3f %10.2f %7s%n", e.kind(), e.name(), e.count(),
                e.totalNanos() / 1e6, e.meanMicros(), "host"));
        }
        b.append(String.format("bytes host->device %d, device->host %d, launches %d, host waits %d%n", bytesToDevice,
            bytesToHost, launches, hostWaits));
        return b.toString();
    }

    /**
     * Writes the recorded events as Chrome trace-event JSON ("X" events, microseconds) to {@code w}, one
     * track each for kernels (and builds), copies and host waits; the caller owns the file (the command line
     * writes it under its output policy).
     */
    public synchronized void writeChromeTrace(Writer w, String process) throws IOException {
        long t0 = Long.MAX_VALUE;
        for (ProfileRecord r : trace) {
            t0 = Math.min(t0, r.start());
        }
        w.write("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        w.write("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"" + escape(process) + "\"}}");
        for (ProfileRecord r : trace) {
            w.write(String.format(java.util.Locale.ROOT, ",%n{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,"
                    + "\"args\":{\"op\":\"%s\",\"bytes\":%d,\"queued_to_start_us\":%.3f}}",
                escape(r.name()), r.kind(), track(r.kind()), (r.start() - t0) / 1e3,
                r.durationNanos() / 1e3, escape(r.op()), r.bytes(), (r.start() - r.queued()) / 1e3));
        }
        w.write("\n]}\n");
        w.flush();
    }

    /** The trace's thread id of a kind: 1 kernels and builds, 2 copies, 3 host waits. */
    private static int track(String kind) {
        return kind.equals(ProfileRecord.WAIT) ? 3 : kind.startsWith("COPY") ? 2 : 1;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
