package org.rtf4j.kernels.fft;

import java.util.Arrays;

/**
 * Immutable plan for complex transforms of one length {@code n >= 1}: factorisation, twiddle tables in
 * both precisions and, for lengths with a prime factor above 7, the Bluestein chirp and its sub-plan.
 *
 * <p>Algorithms: lengths whose factors are all in {2, 3, 5, 7} run a self-sorting Stockham transform
 * (the power-of-two part as a radix-8 first stage then radix-16/8/4/2 stages, as few as possible; then
 * 3, 5, 7; powers of two are the fast path). Every other length runs Bluestein's chirp-z algorithm on a power-of-two
 * transform of length {@code m >= 2n - 1}.
 *
 * <p>A plan holds no mutable state and may be shared by any number of threads. Execution needs a
 * scratch array of {@link #scratchLength()} elements (real numbers, i.e. twice the complex count),
 * owned by the caller (on the JVM backend, each worker's {@code JvmScratch}); the kernels themselves never
 * allocate.
 *
 * <p><b>Accuracy</b> of the transforms a plan runs ({@code FftF64}/{@code FftF32} through the JVM backend's
 * {@code fftComplex}), in the error measure of {@link org.rtf4j.kernels.backend.Backend}
 * ({@code max|y − r| / max(1, max|r|)}): float64 within 1e-11 of JTransforms 3.1 for every n from 1 to
 * 4100, Stockham and Bluestein lengths alike, the inverse restoring the input within 1e-12; float32 within
 * 2e-6·log2 n (about 34·ε·log2 n, ε = 2<sup>−24</sup>) of JTransforms on the float32-rounded input at 17
 * lengths from 1 to 4097 and of the float64 golden files ({@code FftJTransformsTest},
 * {@code FftGoldenTest}).
 *
 * <p>Twiddle layout, stage s with radix R and input block length p: complex element
 * {@code stageOffset[s] + k*(R-1) + (r-1)} holds {@code exp(-2*pi*i*r*k/(p*R))}, k &lt; p, 1 &le; r &lt; R.
 */
public final class ComplexFftPlan {
    /** How a length is transformed. */
    public enum Algorithm { STOCKHAM_POW2, STOCKHAM_MIXED, BLUESTEIN }

    final int n;
    final Algorithm algorithm;
    final int[] radices;
    final int[] blockLengths;
    final int[] stageOffsets;
    final double[] twF64;
    final float[] twF32;
    // Bluestein (the tables are BluesteinTables.of(n)'s, shared)
    final int m;
    final ComplexFftPlan sub;
    final double[] chirpF64;      // c_t = exp(-i*pi*t^2/n), t < n, interleaved
    final float[] chirpF32;
    final double[] chirpSpecF64;  // fft_m(conj-chirp, wrapped) / m, interleaved
    final float[] chirpSpecF32;
    private final int scratchLength;

    private ComplexFftPlan(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n must be ≥ 1, got " + n);
        }
        this.n = n;
        int[] factors = factorSmooth(n);
        if (factors != null) {
            this.algorithm = Integer.bitCount(n) == 1 ? Algorithm.STOCKHAM_POW2 : Algorithm.STOCKHAM_MIXED;
            this.radices = factors;
            this.blockLengths = new int[factors.length];
            this.stageOffsets = new int[factors.length];
            int p = 1;
            int total = 0;
            for (int s = 0; s < factors.length; s++) {
                blockLengths[s] = p;
                stageOffsets[s] = total;
                total += p * (factors[s] - 1);
                p *= factors[s];
            }
            this.twF64 = new double[2 * total];
            for (int s = 0; s < factors.length; s++) {
                int r0 = factors[s];
                int pb = blockLengths[s];
                long span = (long) pb * r0;
                for (int k = 0; k < pb; k++) {
                    for (int r = 1; r < r0; r++) {
                        int idx = 2 * (stageOffsets[s] + k * (r0 - 1) + (r - 1));
                        double ang = -2.0 * Math.PI * (((long) r * k) % span) / span;
                        twF64[idx] = Math.cos(ang);
                        twF64[idx + 1] = Math.sin(ang);
                    }
                }
            }
            this.twF32 = toFloat(twF64);
            this.m = 0;
            this.sub = null;
            this.chirpF64 = null;
            this.chirpF32 = null;
            this.chirpSpecF64 = null;
            this.chirpSpecF32 = null;
            this.scratchLength = 2 * n;
        } else {
            this.algorithm = Algorithm.BLUESTEIN;
            this.radices = new int[0];
            this.blockLengths = new int[0];
            this.stageOffsets = new int[0];
            this.twF64 = new double[0];
            this.twF32 = new float[0];
            BluesteinTables b = BluesteinTables.of(n);
            int mm = b.m;
            this.m = mm;
            this.sub = of(mm);
            this.chirpF64 = b.chirpF64;
            this.chirpF32 = b.chirpF32;
            this.chirpSpecF64 = b.chirpSpecF64;
            this.chirpSpecF32 = b.chirpSpecF32;
            this.scratchLength = 2 * mm + sub.scratchLength();
        }
    }

    /** A plan for length {@code n}; plans are cached, so equal lengths share one immutable plan. */
    public static ComplexFftPlan of(int n) {
        return PlanCache.complex(n);
    }

    static ComplexFftPlan create(int n) {
        return new ComplexFftPlan(n);
    }

    /** Transform length. */
    public int length() {
        return n;
    }

    /** Algorithm this plan runs. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** Radices of the Stockham stages, in execution order (empty for Bluestein). */
    public int[] radices() {
        return radices.clone();
    }

    /** Bluestein's power-of-two length, or 0 for Stockham plans. */
    public int bluesteinLength() {
        return m;
    }

    /** Scratch elements (reals) one execution of a transform of this plan needs. */
    public int scratchLength() {
        return scratchLength;
    }

    /** True when n = 2^a 3^b 5^c 7^d, the lengths that run without Bluestein. */
    public static boolean isSmooth(int n) {
        return n >= 1 && factorSmooth(n) != null;
    }

    /** Smallest 7-smooth integer {@code >= n} that is also a multiple of {@code multiple}. */
    public static int nextSmooth(int n, int multiple) {
        if (n < 1 || multiple < 1) {
            throw new IllegalArgumentException("n and multiple must be ≥ 1, got n = " + n + ", multiple = " + multiple);
        }
        int c = ((n + multiple - 1) / multiple) * multiple;
        while (!isSmooth(c)) {
            c += multiple;
        }
        return c;
    }

    private static int[] factorSmooth(int n) {
        int[] out = new int[32];
        int count = 0;
        int a = Integer.numberOfTrailingZeros(n);
        int r = n >>> a;
        // power-of-two part: a twiddle-free radix-8 first stage, then as few stages as possible (radix 16,
        // halved from the end until the exponents add up)
        int e = a;
        if (e >= 3) {
            out[count++] = 8;
            e -= 3;
        }
        int k = (e + 3) / 4;
        int first = count;
        for (int i = 0; i < k; i++) {
            out[count++] = 16;
        }
        int deficit = 4 * k - e;
        for (int i = count - 1; deficit > 0; i = i == first ? count - 1 : i - 1) {
            out[i] /= 2;
            deficit--;
        }
        for (int q : new int[] {3, 5, 7}) {
            while (r % q == 0) {
                out[count++] = q;
                r /= q;
            }
        }
        return r == 1 ? Arrays.copyOf(out, count) : null;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return "ComplexFftPlan[n=" + n + ", " + algorithm
            + (algorithm == Algorithm.BLUESTEIN ? ", m=" + m : ", radices=" + Arrays.toString(radices)) + "]";
    }
}
