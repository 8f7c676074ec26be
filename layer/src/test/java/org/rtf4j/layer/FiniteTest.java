package org.rtf4j.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The layers' finiteness scan: the first NaN or ±∞ wherever it is, and none among extreme finite values. */
class FiniteTest {
    private static final int[] LENGTHS = {1, 2, 3, 5, 17, 127, 1000, 1047};

    @Test
    void extremeFiniteValuesPass() {
        double[] d = {0.0, -0.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e308};
        float[] f = {0.0f, -0.0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_NORMAL, 3e38f};
        assertEquals(-1, Finite.firstNonFinite(d));
        assertEquals(-1, Finite.firstNonFinite(f));
        assertEquals(-1, Finite.firstNonFinite(new double[0]));
        assertEquals(-1, Finite.firstNonFinite(new float[0]));
    }

    @Test
    void firstNonFiniteIsFoundAnywhere() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int n : LENGTHS) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                for (double b : bad) {
                    double[] d = new double[n];
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        d[i] = Math.sin(i) * 1e300;
                        f[i] = (float) (Math.sin(i) * 1e38);
                    }
                    d[at] = b;
                    f[at] = (float) b;
                    if (at + 1 < n) {
                        // a later one must not be reported first
                        d[n - 1] = Double.NaN;
                        f[n - 1] = Float.NaN;
                    }
                    assertEquals(at, Finite.firstNonFinite(d), "double n=" + n + " at " + at + " " + b);
                    assertEquals(at, Finite.firstNonFinite(f), "float n=" + n + " at " + at + " " + b);
                }
            }
        }
    }
}
