package org.rtf4j.kernels.fft;

/**
 * The tables of Bluestein's chirp-z algorithm for complex transforms of length {@code n >= 1}: the chirp
 * {@code c_t = exp(-i·pi·t²/n)}, t &lt; n, and the spectrum of its wrapped conjugate on the power-of-two
 * length {@code m >= 2n - 1}, scaled by 1/m. Complex values are interleaved (re, im).
 *
 * <p>One computation for every backend: {@link ComplexFftPlan} runs Bluestein with these tables for the
 * lengths that have a prime factor above 7, and the OpenCL backend uploads them for every length that is
 * not a power of two. The chirp angle is reduced modulo 2n in integers before the trigonometry, so the
 * tables are accurate to a few float64 ulps at any n. Immutable and shared: use {@link #of}.
 */
public final class BluesteinTables {
    final int n;
    final int m;
    final double[] chirpF64;
    final float[] chirpF32;
    final double[] chirpSpecF64;
    final float[] chirpSpecF32;

    private BluesteinTables(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        this.n = n;
        int mm = Integer.highestOneBit(2 * n - 1);
        if (mm < 2 * n - 1) {
            mm <<= 1;
        }
        this.m = mm;
        this.chirpF64 = new double[2 * n];
        long twoN = 2L * n;
        for (int t = 0; t < n; t++) {
            double ang = -Math.PI * (((long) t * t) % twoN) / n;
            chirpF64[2 * t] = Math.cos(ang);
            chirpF64[2 * t + 1] = Math.sin(ang);
        }
        double[] b = new double[2 * mm];
        b[0] = chirpF64[0];
        b[1] = -chirpF64[1];
        for (int j = 1; j < n; j++) {
            b[2 * j] = chirpF64[2 * j];
            b[2 * j + 1] = -chirpF64[2 * j + 1];
            b[2 * (mm - j)] = chirpF64[2 * j];
            b[2 * (mm - j) + 1] = -chirpF64[2 * j + 1];
        }
        ComplexFftPlan sub = ComplexFftPlan.of(mm);
        FftF64.forward(sub, b, 0, new double[sub.scratchLength()], 0);
        double inv = 1.0 / mm;
        for (int i = 0; i < b.length; i++) {
            b[i] *= inv;
        }
        this.chirpSpecF64 = b;
        this.chirpF32 = ComplexFftPlan.toFloat(chirpF64);
        this.chirpSpecF32 = ComplexFftPlan.toFloat(b);
    }

    /** The tables for length {@code n}; cached, so equal lengths share one immutable instance. */
    public static BluesteinTables of(int n) {
        return PlanCache.bluestein(n);
    }

    static BluesteinTables create(int n) {
        return new BluesteinTables(n);
    }

    /** Transform length n. */
    public int length() {
        return n;
    }

    /** The power-of-two length m ≥ 2n − 1 of the inner transforms. */
    public int paddedLength() {
        return m;
    }

    /** A copy of the chirp, n complex values interleaved (2n reals). */
    public double[] chirp() {
        return chirpF64.clone();
    }

    /** A copy of the scaled chirp spectrum, m complex values interleaved (2m reals). */
    public double[] chirpSpectrum() {
        return chirpSpecF64.clone();
    }
}
