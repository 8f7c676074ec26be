package org.rtf4j.layer;

/**
 * Where the first non-finite value of an array is. Layers check every input, output and parameter on
 * every pass, so the common case (all finite) is one branch-free max-|x| pass, which C2 compiles to a
 * vector reduction; NaN and ±∞ both make that maximum non-finite (Math.max propagates NaN). Only then is
 * the array scanned again for the index.
 */
final class Finite {
    private Finite() {
    }

    /** Index of the first NaN or ±∞ in {@code a}, or -1 when every value is finite. */
    static int firstNonFinite(double[] a) {
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i]));
        }
        if (m <= Double.MAX_VALUE) {
            return -1;
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return i;
            }
        }
        throw new AssertionError("max |a| = " + m + " but no element is non-finite");
    }

    /** Index of the first NaN or ±∞ in {@code a}, or -1 when every value is finite. */
    static int firstNonFinite(float[] a) {
        float m = 0.0f;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i]));
        }
        if (m <= Float.MAX_VALUE) {
            return -1;
        }
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                return i;
            }
        }
        throw new AssertionError("max |a| = " + m + " but no element is non-finite");
    }
}
