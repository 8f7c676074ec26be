package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.rtf4j.kernels.backend.Precision;

/**
 * Error measure and tolerances of every numerical test.
 *
 * <p>Error of an array: {@code max|got − ref| / max(1, max|ref|)}.
 * <ul>
 *   <li>float64: values ≤ {@value #F64_VALUES}, gradients ≤ {@value #F64_GRADIENTS};</li>
 *   <li>float32: values ≤ {@value #F32_VALUES_PER_LOG2}·log2(n), gradients ≤
 *       {@value #F32_GRADIENTS_PER_LOG2}·log2(n), n the largest FFT length on the path (at least 2).</li>
 * </ul>
 *
 * <p>The float32 modal kernels have their own budgets, the same on every backend ({@link #F32_VANDERMONDE},
 * {@link #F32_CAUCHY}; stated in {@code OpenClBackend}'s javadoc and {@code device-config/README.md}). Each
 * bound is against float64 on the same float32 inputs, so it covers the kernel's own arithmetic, not the
 * rounding of its inputs.
 */
public final class Check {
    public static final double F64_VALUES = 1e-10;
    public static final double F64_GRADIENTS = 1e-9;
    public static final double F32_VALUES_PER_LOG2 = 2e-6;
    public static final double F32_GRADIENTS_PER_LOG2 = 2e-5;

    /** Unit roundoff of float32, 2^-24. */
    public static final double EPS32 = 0x1p-24;
    /**
     * float32 Vandermonde and its backward, every backend: anchors z^l every block of lags (float64 on the
     * JVM; on OpenCL float32 with the products l·log z split exactly and the phase reduced in two parts),
     * float32 in between.
     */
    public static final double F32_VANDERMONDE = 5e-6;
    /**
     * float32 Cauchy and its backward, every backend: set by the conditioning of the differences z_k − w_m
     * (the nodes themselves are accurate to a few ulps: tan of small exact ratios on OpenCL, float64 on the JVM).
     */
    public static final double F32_CAUCHY = 1e-3;

    private Check() {
    }

    /** Tolerance for values computed in precision p through FFTs of length up to n. */
    public static double values(Precision p, int n) {
        return p == Precision.F64 ? F64_VALUES : F32_VALUES_PER_LOG2 * log2(n);
    }

    /** Tolerance for gradients computed in precision p through FFTs of length up to n. */
    public static double gradients(Precision p, int n) {
        return p == Precision.F64 ? F64_GRADIENTS : F32_GRADIENTS_PER_LOG2 * log2(n);
    }

    private static double log2(int n) {
        return Math.max(1.0, Math.log(Math.max(2, n)) / Math.log(2));
    }

    /** The error measure. */
    public static double error(double[] got, double[] ref) {
        if (got.length != ref.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 1.0;
        for (double r : ref) {
            scale = Math.max(scale, Math.abs(r));
        }
        double e = 0;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - ref[i]);
            if (!(d <= e)) {
                e = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return e / scale;
    }

    /** Fails with max and mean error and where the worst element is, when the error exceeds tol. */
    public static double close(String what, double[] got, double[] ref, double tol) {
        if (got.length != ref.length) {
            fail(what + ": length " + got.length + " != expected " + ref.length);
        }
        double e = error(got, ref);
        if (!(e <= tol)) {
            int worst = 0;
            double mean = 0;
            double wd = -1;
            for (int i = 0; i < got.length; i++) {
                double d = Math.abs(got[i] - ref[i]);
                mean += d;
                if (!(d <= wd)) {
                    wd = d;
                    worst = i;
                }
            }
            fail(String.format("%s: error %.3e > tol %.1e (worst at [%d]: got %.15g, expected %.15g; mean abs %.3e)",
                what, e, tol, worst, got[worst], ref[worst], mean / got.length));
        }
        return e;
    }

    /** Widens a float array. */
    public static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
