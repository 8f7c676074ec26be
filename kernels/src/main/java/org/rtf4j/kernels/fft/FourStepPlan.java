package org.rtf4j.kernels.fft;

/**
 * Immutable plan for four-step transforms of power-of-two length n = n1 · n2, whose two passes of
 * butterflies run along whole row arrays (so C2 vectorises them) and meet in one transpose: complex
 * transforms, and real ones two rows at once (x and y as the complex row x + i y). See
 * {@code FourStepF64} for the algorithm.
 *
 * <p>Tables: for the butterflies over m rows (m = n1, then n2), stage s with half-width h holds
 * {@code exp(-i*pi*j/h)}, j &lt; h, at offset {@code stageOffset(m, s)}; the four-step twiddles
 * {@code exp(-2*pi*i*b*k1/n)} sit in one row of length n2 per k1; bit-reversal tables give where each
 * output row of a butterfly pass lands.
 *
 * <p><b>Accuracy</b> (error measure of {@link org.rtf4j.kernels.backend.Backend}): complex transforms at
 * n = 4096, 8192, 32768 and 65536 within 1e-10 (float64) or 2e-6·log2 n (float32) of JTransforms 3.1 on the
 * rounded input, and the inverse restoring it within the same bound. Real rows transformed as a pair share
 * their rounding: each row's error is within 2e-6·log2 n (float32) of the <em>larger</em> row of its pair,
 * so a row far smaller than its partner is less accurate, relative to itself, than on its own (tested with
 * rows 10⁴ apart); the convolution therefore pairs batch rows of one channel ({@code FftJTransformsTest}).
 */
public final class FourStepPlan {
    /**
     * Shortest length run in pairs: below it the row arrays (n1 = 32 numbers at n = 1024) are too short for
     * C2's vector loops to pay (measured: 0.9x the single-row transform at n = 1024, 1.2-1.4x at 2048).
     */
    public static final int MIN_LENGTH = 2048;

    /**
     * Shortest complex length the JVM kernels run through this plan rather than the single-row Stockham
     * transform (measured, forward + inverse in float32: 0.93x at 2048, 1.42x at 4096, 1.83x at 65536).
     */
    public static final int COMPLEX_MIN_LENGTH = 4096;

    final int n;
    final int n1;
    final int n2;
    final int log1;
    final int[] rev1;
    final int[] rev2;
    final double[] stage1F64;
    final double[] stage2F64;
    final float[] stage1F32;
    final float[] stage2F32;
    final double[][] twReF64;
    final double[][] twImF64;
    final float[][] twReF32;
    final float[][] twImF32;

    private FourStepPlan(int n) {
        if (n < MIN_LENGTH || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("four-step FFT length n must be a power of two ≥ " + MIN_LENGTH + ", got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        this.log1 = bits / 2;
        this.n1 = 1 << log1;
        this.n2 = n / n1;
        this.rev1 = bitReversal(n1);
        this.rev2 = bitReversal(n2);
        this.stage1F64 = stageTable(n1);
        this.stage2F64 = stageTable(n2);
        this.stage1F32 = ComplexFftPlan.toFloat(stage1F64);
        this.stage2F32 = ComplexFftPlan.toFloat(stage2F64);
        this.twReF64 = new double[n1][n2];
        this.twImF64 = new double[n1][n2];
        this.twReF32 = new float[n1][n2];
        this.twImF32 = new float[n1][n2];
        for (int k1 = 0; k1 < n1; k1++) {
            for (int b = 0; b < n2; b++) {
                double ang = -2.0 * Math.PI * (((long) b * k1) % n) / n;
                twReF64[k1][b] = Math.cos(ang);
                twImF64[k1][b] = Math.sin(ang);
                twReF32[k1][b] = (float) twReF64[k1][b];
                twImF32[k1][b] = (float) twImF64[k1][b];
            }
        }
    }

    /** A plan for a power of two {@code n >= MIN_LENGTH}; plans are cached and shared. */
    public static FourStepPlan of(int n) {
        return PlanCache.fourStep(n);
    }

    static FourStepPlan create(int n) {
        return new FourStepPlan(n);
    }

    /** True when n has a plan: a power of two of at least {@link #MIN_LENGTH}. */
    public static boolean supports(int n) {
        return n >= MIN_LENGTH && Integer.bitCount(n) == 1;
    }

    /** Transform length n (real samples per row). */
    public int length() {
        return n;
    }

    private static int[] bitReversal(int m) {
        int bits = Integer.numberOfTrailingZeros(m);
        int[] r = new int[m];
        for (int i = 0; i < m; i++) {
            r[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        return r;
    }

    /** Offset of stage s (half-width m >> (s+1)) in a stage table of m rows: stages hold m/2, m/4, .. 1 entries. */
    static int stageOffset(int m, int s) {
        // entries before stage s: m/2 + m/4 + ... + m/2^s = m - m/2^s
        return m - (m >> s);
    }

    private static double[] stageTable(int m) {
        double[] t = new double[2 * m];
        for (int s = 0, h = m / 2; h >= 1; s++, h /= 2) {
            int o = stageOffset(m, s);
            for (int j = 0; j < h; j++) {
                double ang = -Math.PI * j / h;
                t[2 * (o + j)] = Math.cos(ang);
                t[2 * (o + j) + 1] = Math.sin(ang);
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "FourStepPlan[n=" + n + " = " + n1 + " x " + n2 + "]";
    }
}
