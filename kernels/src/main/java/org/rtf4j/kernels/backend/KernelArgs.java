package org.rtf4j.kernels.backend;

/**
 * The argument checks of {@link AbstractBackend} that need no backend instance: nulls, finiteness, counts,
 * ranges, the layout of the real FFTs and the one rule for refusing aliased buffers. Each throws
 * {@link IllegalArgumentException} with a one-line message naming the argument; none allocates unless it
 * throws (a steady-state kernel call allocates nothing).
 */
final class KernelArgs {
    private KernelArgs() {
    }

    /** Refuses a null shape. */
    static void notNull(Object shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
    }

    /** Refuses a null argument {@code name}. */
    static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** The precision of buffer {@code b}, or IllegalArgumentException naming it when it is null. */
    static Precision precisionOf(DeviceBuffer b, String name) {
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return b.precision();
    }

    static void finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be ≥ 1, got " + v);
        }
    }

    static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be ≥ 0, got " + v);
        }
    }

    /** The length of a caller's host array, or IllegalArgumentException naming it when it is null. */
    static int hostLength(String name, int[] array) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return array.length;
    }

    /** Checks that [offset, offset + count) lies inside [0, length). */
    static void range(String name, int length, int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > length) {
            throw new IllegalArgumentException(name + " range [" + offset + ", " + ((long) offset + count)
                + ") is outside [0, " + length + ")");
        }
    }

    /**
     * The real-signal side of a real FFT ({@code in} of the forward, {@code out} of the inverse): its length
     * per row is in [0, n] and, with more than one row, the stride is at least that length.
     */
    static void realRows(int n, int rows, String lengthName, int length, String strideName, int stride) {
        if (length < 0 || length > n) {
            throw new IllegalArgumentException(lengthName + " must be in [0, n = " + n + "], got " + length);
        }
        if (stride < length && rows > 1) {
            throw new IllegalArgumentException(strideName + " must be ≥ " + lengthName + " = " + length + ", got "
                + stride);
        }
    }

    /** Refuses output {@code out} being the same (non-null) buffer as {@code b1}. */
    static void apart(String outName, DeviceBuffer out, String n1, DeviceBuffer b1) {
        apart(outName, out, n1, b1, null, null, null, null, null, null);
    }

    /**
     * Refuses output {@code out} when it is one of the other buffers given (names null are skipped); written out
     * without arrays so that the check allocates nothing.
     */
    static void apart(String outName, DeviceBuffer out, String n1, DeviceBuffer b1, String n2, DeviceBuffer b2,
                      String n3, DeviceBuffer b3, String n4, DeviceBuffer b4) {
        String clash = out == null ? null : out == b1 && n1 != null ? n1 : out == b2 && n2 != null ? n2
            : out == b3 && n3 != null ? n3 : out == b4 && n4 != null ? n4 : null;
        if (clash != null) {
            throw new IllegalArgumentException(outName + " must be a buffer other than " + clash);
        }
    }
}
