package org.rtf4j.kernels.backend;

import java.util.Locale;

/**
 * The one memory check: work whose estimated size does not fit the heap the JVM can still give, or an
 * array longer than Java allows, is refused before anything is allocated, with one line naming the sizes,
 * the bytes needed and the heap available. Estimates are computed with {@link #times} and {@link #plus},
 * which saturate at {@link Long#MAX_VALUE} instead of overflowing, so any absurd size is simply "too large".
 *
 * <p>The estimates themselves live next to the code that allocates (a static {@code bytesNeeded} or
 * similar on each layer, model and command); this class only does the arithmetic and the comparison.
 */
public final class MemoryCheck {
    /** Longest array the JVM reliably allocates (a few header words below {@link Integer#MAX_VALUE}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** How a user of {@code ./rtf4j} raises the heap limit. */
    public static final String RAISE = "raise the limit with RTF4J_JAVA_OPTS=-Xmx<size>";

    private MemoryCheck() {
    }

    /** The product of non-negative factors, or {@link Long#MAX_VALUE} when it does not fit a long. */
    public static long times(long... factors) {
        long p = 1;
        boolean saturated = false;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("sizes must be ≥ 0, got " + f);
            }
            if (f == 0) {
                return 0;
            }
            if (saturated || p > Long.MAX_VALUE / f) {
                saturated = true;
            } else {
                p *= f;
            }
        }
        return saturated ? Long.MAX_VALUE : p;
    }

    /** The sum of non-negative terms, or {@link Long#MAX_VALUE} when it does not fit a long. */
    public static long plus(long... terms) {
        long s = 0;
        for (long t : terms) {
            if (t < 0) {
                throw new IllegalArgumentException("sizes must be ≥ 0, got " + t);
            }
            s = t > Long.MAX_VALUE - s ? Long.MAX_VALUE : s + t;
        }
        return s;
    }

    /**
     * {@code elements} as an array length.
     *
     * @param what names the array and its sizes, e.g. {@code "activations (batch 16 × channels 32 × length 64)"}
     * @throws MemoryLimitException when it exceeds {@link #MAX_ARRAY}
     */
    public static int arrayLength(String what, long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException(what + ": element count must be ≥ 0, got " + elements);
        }
        if (elements > MAX_ARRAY) {
            throw new MemoryLimitException(what + " would have " + count(elements)
                + " elements, more than a Java array can hold (" + count(MAX_ARRAY) + ")");
        }
        return (int) elements;
    }

    /** Bytes the heap can still grow by: the maximum heap less what is in use now (garbage included). */
    public static long availableBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Refuses work that needs more than the available heap. When the first look says no, garbage is
     * collected once and the heap looked at again, so unreferenced arrays do not cause a refusal.
     *
     * @param what  the work and its sizes, e.g. {@code "train: batch 16 × length 64 × channels 32"}
     * @param bytes estimated bytes the work allocates ({@link Long#MAX_VALUE} for "more than a long")
     * @throws MemoryLimitException naming {@code what}, the bytes needed and the heap available
     */
    public static void require(String what, long bytes) {
        if (bytes <= availableBytes()) {
            return;
        }
        System.gc();
        long available = availableBytes();
        if (bytes > available) {
            throw new MemoryLimitException(refusal(what, bytes, available, Runtime.getRuntime().maxMemory(),
                physicalMemory()));
        }
    }

    /** The one-line refusal; {@code physical} ≤ 0 when unknown. */
    static String refusal(String what, long bytes, long available, long maxHeap, long physical) {
        String machine = physical > 0 && bytes > physical
            ? " (more than this machine's " + bytes(physical) + " of memory: use smaller sizes)" : "";
        return what + " needs about " + bytes(bytes) + " of heap, " + bytes(Math.max(0, available))
            + " available (maximum heap " + bytes(maxHeap) + "); " + RAISE + machine;
    }

    /** Physical memory of the machine (or container), or 0 when the JVM does not say. */
    public static long physicalMemory() {
        try {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            }
        } catch (LinkageError | RuntimeException e) {
            // not a HotSpot-style JVM: unknown
        }
        return 0;
    }

    /** Bytes in binary units with one decimal, e.g. {@code 1.2 TiB}; a saturated estimate reads "over 8 EiB". */
    public static String bytes(long b) {
        if (b == Long.MAX_VALUE) {
            return "over 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A count with thousands separators, or "over 9.2e18" when saturated. */
    private static String count(long n) {
        return n == Long.MAX_VALUE ? "over 9.2e18" : String.format(Locale.ROOT, "%,d", n);
    }
}
