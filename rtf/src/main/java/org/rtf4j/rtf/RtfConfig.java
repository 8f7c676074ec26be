package org.rtf4j.rtf;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * Configuration of an {@link RtfLayer}. Build with {@link #builder(int, int, int)}.
 *
 * @param channels        H
 * @param order           N, order of numerator and denominator (1 ≤ N < L)
 * @param maxLength       L ({@code trunc_len}): kernel length and largest input length
 * @param numA            distinct denominators; H must be divisible by it (default H)
 * @param bidirectional   two-sided layer (a forward and a backward transfer function)
 * @param constraint      denominator parametrisation
 * @param init            initialisation of the {@code ab} matrix
 * @param h0Init          initialisation of {@code h_0}
 * @param precision       compute precision
 * @param minDenominator  smallest allowed relative magnitude {@code |a(z_k)| / (1 + Σ|a_n|)} at any of
 *                        the P/2+1 kernel bins; below it forward refuses the parameters (default
 *                        {@link #defaultMinDenominator}: 1e-10 for float64; for float32 1e-5 without a
 *                        constraint and 1e-8 under l1-Montel)
 * @param seed            seed of the initialisation
 */
public record RtfConfig(int channels, int order, int maxLength, int numA, boolean bidirectional,
                        Constraint constraint, Init init, H0Init h0Init, Precision precision,
                        double minDenominator, long seed) {

    /** Denominator parametrisation. */
    public enum Constraint {
        /** a = θ. */
        NONE,
        /** a = θ / (‖θ‖₁ + |s| + 1e-6): every pole strictly inside the unit disk (Montel). */
        L1_MONTEL
    }

    /** Initialisation of the {@code ab} matrix (denominator and numerator rows alike). */
    public enum Init {
        /** All zero: kernel h0·δ (the reference default and the paper's "impulse" init). */
        ZEROS,
        /** U(−1/√N, 1/√N); may produce unstable denominators. */
        XAVIER,
        /** U(−1/N, 1/N): Σ|a| < 1, stable. */
        MONTEL
    }

    /** Initialisation of {@code h_0}. */
    public enum H0Init {
        /** N(0, 1), as the reference implementation. */
        NORMAL,
        /** 1, as the paper's text. */
        ONE
    }

    /** Validates every field. */
    public RtfConfig {
        new RationalShape(numA, channels, order, maxLength);
        if (constraint == null || init == null || h0Init == null || precision == null) {
            throw new IllegalArgumentException("constraint, init, h0Init and precision must not be null");
        }
        if (!(minDenominator >= 0.0) || minDenominator >= 1.0) {
            throw new IllegalArgumentException("minDenominator must be in [0, 1), got " + minDenominator);
        }
    }

    /** Number of directions, 1 or 2. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** The kernel-generation shape of one direction. */
    public RationalShape rationalShape() {
        return new RationalShape(numA, channels, order, maxLength);
    }

    /**
     * Default threshold for a precision and a constraint. float64: 1e-10. float32 without a constraint:
     * 1e-5, where the float32 spectrum's own error (a few ulps of 1 + Σ|a_n| times log2 P when
     * Σ|a_n| &gt; 1) is still a small part of |a(z_k)|. float32 under l1-Montel: 1e-8. There the margin
     * m = 1 − Σ|a_n| = (|s| + 1e-6)/Z is known exactly, |a(z_k)| ≥ m at every bin, and the spectrum kernel
     * evaluates its small bins without cancellation ({@code Backend.rationalSpectrum}), to a relative
     * error of at most about 2^-24·sqrt(2/|a(z_k)|), under 1e-3 above this threshold; 1e-5 would refuse
     * margins the constraint allows and float32 now resolves (a ListOps run stopped at 3e-6).
     */
    public static double defaultMinDenominator(Precision p, Constraint c) {
        if (p == Precision.F64) {
            return 1e-10;
        }
        return c == Constraint.L1_MONTEL ? 1e-8 : 1e-5;
    }

    /** A builder with defaults: numA = H, causal, no constraint, zero init, h0 ~ N(0,1), float32, seed 0. */
    public static Builder builder(int channels, int order, int maxLength) {
        return new Builder(channels, order, maxLength);
    }

    /** Builder of {@link RtfConfig}. */
    public static final class Builder {
        private final int channels;
        private final int order;
        private final int maxLength;
        private int numA;
        private boolean bidirectional;
        private Constraint constraint = Constraint.NONE;
        private Init init = Init.ZEROS;
        private H0Init h0Init = H0Init.NORMAL;
        private Precision precision = Precision.F32;
        private Double minDenominator;
        private long seed;

        private Builder(int channels, int order, int maxLength) {
            this.channels = channels;
            this.order = order;
            this.maxLength = maxLength;
            this.numA = channels;
        }

        public Builder numA(int v) {
            numA = v;
            return this;
        }

        public Builder bidirectional(boolean v) {
            bidirectional = v;
            return this;
        }

        public Builder constraint(Constraint v) {
            constraint = v;
            return this;
        }

        public Builder init(Init v) {
            init = v;
            return this;
        }

        public Builder h0Init(H0Init v) {
            h0Init = v;
            return this;
        }

        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        public Builder minDenominator(double v) {
            minDenominator = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public RtfConfig build() {
            double md = minDenominator != null ? minDenominator
                : defaultMinDenominator(precision == null ? Precision.F32 : precision, constraint);
            return new RtfConfig(channels, order, maxLength, numA, bidirectional, constraint, init, h0Init,
                precision, md, seed);
        }
    }
}
