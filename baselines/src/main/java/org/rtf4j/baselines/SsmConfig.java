package org.rtf4j.baselines;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;

/**
 * Configuration of an {@link S4dLayer} or {@link S4Layer}.
 *
 * @param kind          {@link LayerKind#S4D} or {@link LayerKind#S4}
 * @param channels      H
 * @param stateSize     N, the real state dimension (even; N/2 complex modes are stored)
 * @param maxLength     L, kernel length and largest input length
 * @param bidirectional two kernels (C doubled, Λ, B, Δ shared as in state-spaces/s4), two-sided convolution
 * @param disc          discretisation (S4 supports {@link Discretization#BILINEAR} only)
 * @param init          initialisation of Λ and B (S4 supports {@link Init#LEGS} only)
 * @param dtMin         smallest initial step, log Δ ~ U[log dtMin, log dtMax]
 * @param dtMax         largest initial step
 * @param precision     compute precision
 * @param seed          seed of the initialisation
 */
public record SsmConfig(LayerKind kind, int channels, int stateSize, int maxLength, boolean bidirectional,
                        Discretization disc, Init init, double dtMin, double dtMax, Precision precision, long seed) {

    /** Discretisation of the continuous-time system. */
    public enum Discretization { ZOH, BILINEAR }

    /** Initialisation of Λ and B (the S4D paper's names). */
    public enum Init {
        /** Λ_m = −1/2 + iπm, B = 1. */
        LIN,
        /** Λ_m = −1/2 + i(N/π)(N/(2m+1) − 1), B = 1. */
        INV,
        /** Eigenvalues of the normal part of HiPPO-LegS, B = V*B_legs (S4's initialisation). */
        LEGS,
        /** Λ_m = −(m + 1), B = 1. */
        REAL
    }

    /** Validates every field. */
    public SsmConfig {
        if (kind != LayerKind.S4D && kind != LayerKind.S4) {
            throw new IllegalArgumentException("kind must be S4D or S4, got " + kind);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels H must be ≥ 1, got " + channels);
        }
        if (stateSize < 2 || stateSize % 2 != 0) {
            throw new IllegalArgumentException("state size N must be even and ≥ 2 (N/2 complex modes are stored), got "
                + stateSize);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("length L must be ≥ 1, got " + maxLength);
        }
        if (disc == null || init == null || precision == null) {
            throw new IllegalArgumentException("disc, init and precision must not be null");
        }
        if (!(dtMin > 0) || !(dtMax >= dtMin) || !Double.isFinite(dtMax)) {
            throw new IllegalArgumentException("dt range must satisfy 0 < dtMin ≤ dtMax < ∞, got [" + dtMin + ", "
                + dtMax + "]");
        }
        if (kind == LayerKind.S4 && disc != Discretization.BILINEAR) {
            throw new IllegalArgumentException("S4 supports disc=BILINEAR only, got " + disc);
        }
        if (kind == LayerKind.S4 && init != Init.LEGS) {
            throw new IllegalArgumentException("S4 supports init=LEGS only (NPLR), got " + init);
        }
        if (init == Init.LEGS && stateSize > HippoLegS.MAX_STATE_SIZE) {
            throw new IllegalArgumentException("state size N must be ≤ " + HippoLegS.MAX_STATE_SIZE
                + " for the LegS initialisation, got " + stateSize);
        }
    }

    /** Stored complex modes, N/2. */
    public int modes() {
        return stateSize / 2;
    }

    /** Number of directions, 1 or 2. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** S4D defaults: ZOH, LegS init, dt in [1e-3, 1e-1], float32, seed 0. */
    public static SsmConfig s4d(int channels, int stateSize, int maxLength) {
        return new SsmConfig(LayerKind.S4D, channels, stateSize, maxLength, false, Discretization.ZOH, Init.LEGS,
            1e-3, 1e-1, Precision.F32, 0);
    }

    /** S4 defaults: bilinear, LegS NPLR, dt in [1e-3, 1e-1], float32, seed 0. */
    public static SsmConfig s4(int channels, int stateSize, int maxLength) {
        return new SsmConfig(LayerKind.S4, channels, stateSize, maxLength, false, Discretization.BILINEAR, Init.LEGS,
            1e-3, 1e-1, Precision.F32, 0);
    }

    public SsmConfig withBidirectional(boolean v) {
        return new SsmConfig(kind, channels, stateSize, maxLength, v, disc, init, dtMin, dtMax, precision, seed);
    }

    public SsmConfig withDisc(Discretization v) {
        return new SsmConfig(kind, channels, stateSize, maxLength, bidirectional, v, init, dtMin, dtMax, precision, seed);
    }

    public SsmConfig withInit(Init v) {
        return new SsmConfig(kind, channels, stateSize, maxLength, bidirectional, disc, v, dtMin, dtMax, precision, seed);
    }

    public SsmConfig withPrecision(Precision v) {
        return new SsmConfig(kind, channels, stateSize, maxLength, bidirectional, disc, init, dtMin, dtMax, v, seed);
    }

    public SsmConfig withSeed(long v) {
        return new SsmConfig(kind, channels, stateSize, maxLength, bidirectional, disc, init, dtMin, dtMax, precision, v);
    }

    public SsmConfig withDt(double min, double max) {
        return new SsmConfig(kind, channels, stateSize, maxLength, bidirectional, disc, init, min, max, precision, seed);
    }
}
