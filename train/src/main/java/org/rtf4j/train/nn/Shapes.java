package org.rtf4j.train.nn;

/** Argument checks shared by the ops. */
final class Shapes {
    private Shapes() {
    }

    static void check(String name, double[] a, int batch, int channels, int length) {
        long n = (long) batch * channels * length;
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(name + ": expected " + n + " values (B=" + batch + ", C=" + channels
                + ", L=" + length + "), got " + (a == null ? "null" : a.length));
        }
    }
}
