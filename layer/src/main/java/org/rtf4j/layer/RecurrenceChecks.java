package org.rtf4j.layer;

/** Argument checks shared by the recurrences of every layer kind. */
public final class RecurrenceChecks {
    private RecurrenceChecks() {
    }

    /** u and y of one step hold B*H finite values. */
    public static void stepArrays(double[] u, double[] y, int batch, int h) {
        int bh = batch * h;
        if (u == null || y == null || u.length != bh || y.length != bh) {
            throw new IllegalArgumentException("u and y must have B*H = " + batch + "*" + h + " = " + bh
                + " elements, got " + (u == null ? "null" : u.length) + " and " + (y == null ? "null" : y.length));
        }
        for (int i = 0; i < bh; i++) {
            if (!Double.isFinite(u[i])) {
                throw new IllegalArgumentException("u has a non-finite value " + u[i] + " at index " + i);
            }
        }
    }

    /** A state array of the expected length. */
    public static void state(double[] a, int expected, int batch, int h, int n) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException("state must have B*H*N = " + batch + "*" + h + "*" + n + " = "
                + expected + " elements, got " + (a == null ? "null" : a.length));
        }
    }

    /** Every value finite. */
    public static void finite(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("state has a non-finite value " + a[i] + " at index " + i);
            }
        }
    }
}
