package org.rtf4j.kernels.recurrent;

import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The first lags of RTF kernels in float64 on the calling thread, for the recurrent (state-space) form: a
 * host routine whatever backend and precision run the layer, so that a layer never names a backend of its
 * own. It runs the one JVM implementation of the rational spectrum kernel and of the inverse real FFT
 * ({@code rationalSpectrum}, {@code fftRealInverse}) in float64 on a one-thread host backend, so the lags
 * equal the conv-mode kernel's up to float64 rounding.
 */
public final class RationalLags {
    private RationalLags() {
    }

    /**
     * Kernel lags and denominator magnitudes.
     *
     * @param lags       {@code k[c * count + l]}, lag {@code l < count} of channel {@code c < H}
     * @param magnitudes the spectrum kernel's per-denominator minimum magnitudes, as {@code rationalSpectrum}
     *                   writes them ({@code 2 * numA} values: relative, then absolute)
     */
    public record Result(double[] lags, double[] magnitudes) {
    }

    /**
     * Computes lags {@code 0 … count−1} of every channel's kernel.
     *
     * @param shape the kernel shape (numA, H, N, L)
     * @param a     denominators, {@code a[aOff + g * N + n]} for {@code g < numA}
     * @param aOff  offset of the first denominator in {@code a}
     * @param margin the denominators' margins {@code 1 − Σ|a_g,n|}, {@code margin[g]} for {@code g < numA}
     *              (see {@code Backend.rationalSpectrum})
     * @param b     numerators, {@code b[bOff + c * N + n]} for {@code c < H}
     * @param bOff  offset of the first numerator in {@code b}
     * @param h0    feed-through, {@code h0[c]} for {@code c < H}
     * @param count lags per channel, 1 ≤ count ≤ L
     */
    public static Result compute(RationalShape shape, double[] a, int aOff, double[] margin, double[] b, int bOff,
                                 double[] h0, int count) {
        int numA = shape.numA();
        int h = shape.channels();
        int order = shape.order();
        if (count < 1 || count > shape.length()) {
            throw new IllegalArgumentException("count must be in [1, L=" + shape.length() + "], got " + count);
        }
        int bins = shape.bins();
        double[] k = new double[h * count];
        double[] mags = new double[2 * numA];
        try (JvmBackend host = JvmBackend.forHostComputation();
             DeviceBuffer a64 = host.allocate(Precision.F64, numA * order);
             DeviceBuffer m64 = host.allocate(Precision.F64, numA);
             DeviceBuffer b64 = host.allocate(Precision.F64, h * order);
             DeviceBuffer h64 = host.allocate(Precision.F64, h);
             DeviceBuffer sa = host.allocate(Precision.F64, 2 * bins * numA);
             DeviceBuffer sb = host.allocate(Precision.F64, 2 * bins * h);
             DeviceBuffer sk = host.allocate(Precision.F64, 2 * bins * h);
             DeviceBuffer mm = host.allocate(Precision.F64, 2 * numA);
             DeviceBuffer kb64 = host.allocate(Precision.F64, h * count)) {
            host.write(a64, 0, a, aOff, numA * order);
            host.write(m64, 0, margin, 0, numA);
            host.write(b64, 0, b, bOff, h * order);
            host.write(h64, 0, h0, 0, h);
            host.rationalSpectrum(shape, a64, m64, b64, h64, sa, sb, sk, mm);
            host.read(mm, 0, mags, 0, mags.length);
            host.fftRealInverse(shape.fftLength(), h, sk, kb64, count, count);
            host.read(kb64, 0, k, 0, k.length);
        }
        return new Result(k, mags);
    }
}
