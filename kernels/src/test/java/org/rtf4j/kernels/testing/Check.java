package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;

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
 * <p>The float32 modal kernels' accuracy depends on the backend ({@link Device}), as stated in
 * {@code OpenClBackend}'s javadoc and {@code device-config/README.md}: see {@link #vandermondeF32} and
 * {@link #cauchyF32}. Each bound is against float64 on the same float32 inputs, so it covers the kernel's
 * own arithmetic, not the rounding of its inputs.
 */
public final class Check {
    public static final double F64_VALUES = 1e-10;
    public static final double F64_GRADIENTS = 1e-9;
    public static final double F32_VALUES_PER_LOG2 = 2e-6;
    public static final double F32_GRADIENTS_PER_LOG2 = 2e-5;

    /** Unit roundoff of float32, 2^-24. */
    public static final double EPS32 = 0x1p-24;
    /** float32 Vandermonde and its backward on the JVM: float64 anchors every block of lags, float32 in between. */
    public static final double F32_VANDERMONDE_JVM = 5e-6;
    /** float32 Vandermonde and its backward on an OpenCL device with cl_khr_fp64: computed in double, rounded once. */
    public static final double F32_VANDERMONDE_FP64_DEVICE = 2e-7;
    /**
     * float32 Cauchy and its backward with the nodes computed in float64 (JVM, OpenCL devices with
     * cl_khr_fp64); set by the conditioning of the differences z_k − w_m, the same on every backend.
     */
    public static final double F32_CAUCHY = 1e-3;

    /** The backends whose float32 modal kernels differ in accuracy. */
    public enum Device {
        /** The JVM backend. */
        JVM,
        /** OpenCL on a device with cl_khr_fp64: {@code wide} in rtf4j.cl is double. */
        OPENCL_FP64,
        /** OpenCL on a device without cl_khr_fp64: {@code wide} is float. */
        OPENCL_NO_FP64;

        /** The kind of a backend. */
        public static Device of(Backend be) {
            if (be instanceof JvmBackend) {
                return JVM;
            }
            if (be instanceof OpenClBackend) {
                return ((OpenClBackend) be).device().fp64() ? OPENCL_FP64 : OPENCL_NO_FP64;
            }
            throw new IllegalArgumentException("no accuracy statement for backend " + be.name());
        }
    }

    private Check() {
    }

    /**
     * Budget of the float32 Vandermonde kernels on a device kind at length L, for log z of modulus up to
     * {@code maxAbsLogZ}. Without fp64 the anchors' phases and magnitudes l·log z are rounded to float32,
     * an error of up to {@link #EPS32}·L·max|log z| where |z|^l has not decayed.
     */
    public static double vandermondeF32(Device d, int len, double maxAbsLogZ) {
        return switch (d) {
            case JVM -> F32_VANDERMONDE_JVM;
            case OPENCL_FP64 -> F32_VANDERMONDE_FP64_DEVICE;
            case OPENCL_NO_FP64 -> F32_VANDERMONDE_JVM + EPS32 * len * maxAbsLogZ;
        };
    }

    /**
     * Budget of the float32 Cauchy kernels on a device kind at length L: {@link #F32_CAUCHY}, plus without
     * fp64 the float32 rounding of the node angles 2πk/L, up to {@link #EPS32}·π·L.
     */
    public static double cauchyF32(Device d, int len) {
        return F32_CAUCHY + (d == Device.OPENCL_NO_FP64 ? EPS32 * Math.PI * len : 0);
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
