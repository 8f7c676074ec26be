package org.rtf4j.kernels.fft;

/**
 * Immutable plan for real transforms of one length {@code n >= 1}: the forward transform returns exactly
 * {@code n/2 + 1} complex bins (integer division), the inverse reads them and returns n reals scaled by
 * 1/n (numpy's {@code rfft}/{@code irfft}; the inverse ignores Im X_0 and, for even n, Im X_{n/2}).
 *
 * <p>Even n run a complex transform of length n/2 on the packed even/odd samples followed by a
 * split step with the table {@code exp(-2*pi*i*k/n)}, k &le; n/4; odd n run a complex transform of
 * length n. Kernels that transform many rows run powers of two from {@link FourStepPlan#MIN_LENGTH} on
 * two rows at a time through {@link #fourStep()}.
 *
 * <p><b>Accuracy</b> (error measure of {@link org.rtf4j.kernels.backend.Backend}): float64 forward
 * transforms within 1e-11 of JTransforms 3.1 for every n from 1 to 4100 and forward + inverse restoring
 * the input within 1e-12; both precisions within 1e-10 (float64) or 2e-6·log2 n (float32) of the golden
 * files and for zero-padded inputs (n up to 32768), truncated inverses within 4 times that
 * ({@code FftJTransformsTest}, {@code FftGoldenTest}; per kernel on
 * {@link org.rtf4j.kernels.backend.Backend#fftRealForward} and
 * {@link org.rtf4j.kernels.backend.Backend#fftRealInverse}).
 */
public final class RealFftPlan {
    final int n;
    final ComplexFftPlan inner;
    final double[] splitF64;
    final float[] splitF32;
    private final FourStepPlan fourStep;
    private final int scratchLength;

    private RealFftPlan(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n must be ≥ 1, got " + n);
        }
        this.n = n;
        this.fourStep = FourStepPlan.supports(n) ? FourStepPlan.of(n) : null;
        if (n % 2 == 0) {
            this.inner = ComplexFftPlan.of(n / 2);
            int h = n / 2;
            int q = h / 2 + 1;
            this.splitF64 = new double[2 * q];
            for (int k = 0; k < q; k++) {
                double ang = -2.0 * Math.PI * k / n;
                splitF64[2 * k] = Math.cos(ang);
                splitF64[2 * k + 1] = Math.sin(ang);
            }
            this.splitF32 = ComplexFftPlan.toFloat(splitF64);
            // inverse needs h complex of work beside the inner scratch
            this.scratchLength = 2 * h + inner.scratchLength();
        } else {
            this.inner = ComplexFftPlan.of(n);
            this.splitF64 = new double[0];
            this.splitF32 = new float[0];
            this.scratchLength = 2 * n + inner.scratchLength();
        }
    }

    /** A plan for length {@code n}; plans are cached and shared. */
    public static RealFftPlan of(int n) {
        return PlanCache.real(n);
    }

    static RealFftPlan create(int n) {
        return new RealFftPlan(n);
    }

    /** Transform length n (real samples). */
    public int length() {
        return n;
    }

    /** Number of complex bins, n/2 + 1. */
    public int bins() {
        return n / 2 + 1;
    }

    /** The complex plan that does the work. */
    public ComplexFftPlan inner() {
        return inner;
    }

    /**
     * The plan that transforms two rows of this length at once ({@code FourStepF64}/{@code FourStepF32}),
     * or null when n is not a power of two of at least {@link FourStepPlan#MIN_LENGTH}.
     */
    public FourStepPlan fourStep() {
        return fourStep;
    }

    /**
     * A copy of the split table of even lengths, {@code exp(-2*pi*i*k/n)} for k = 0 .. n/4 (n/4 + 1
     * complex values interleaved, n/4 rounded down); empty for odd n.
     */
    public double[] splitTable() {
        return splitF64.clone();
    }

    /** Scratch elements (reals) one execution needs. */
    public int scratchLength() {
        return scratchLength;
    }

    @Override
    public String toString() {
        return "RealFftPlan[n=" + n + ", inner=" + inner + "]";
    }
}
