package org.rtf4j.kernels.testing;

import java.util.function.DoubleSupplier;

/**
 * Richardson-extrapolated central differences: {@code (4·D(h/2) − D(h)) / 3} with
 * {@code D(h) = (f(x+h) − f(x−h)) / 2h}, truncation error O(h⁴).
 */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** ∂loss/∂v_i for every entry of v (perturbed in place and restored). */
    public static double[] gradient(double[] v, DoubleSupplier loss, double step) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double keep = v[i];
            double[] central = new double[2];
            for (int s = 0; s < 2; s++) {
                double hh = s == 0 ? step : step / 2;
                v[i] = keep + hh;
                double lp = loss.getAsDouble();
                v[i] = keep - hh;
                double lm = loss.getAsDouble();
                central[s] = (lp - lm) / (2 * hh);
            }
            v[i] = keep;
            out[i] = (4 * central[1] - central[0]) / 3;
        }
        return out;
    }

    /** Σ a_i b_i. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
