package org.rtf4j.kernels.testing;

/** Margins {@code 1 − Σ_n |a_g,n|} of denominator rows, in float64, as {@code Backend.rationalSpectrum} takes them. */
public final class Margins {
    private Margins() {
    }

    /** The margin of each of the {@code a.length / order} rows of {@code a}. */
    public static double[] of(double[] a, int order) {
        double[] m = new double[a.length / order];
        for (int g = 0; g < m.length; g++) {
            double s = 0;
            for (int n = 0; n < order; n++) {
                s += Math.abs(a[g * order + n]);
            }
            m[g] = 1.0 - s;
        }
        return m;
    }
}
