package org.rtf4j.models;

import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.rtf.RtfConfig;

/**
 * What every layer kind shares, so that models and benchmarks swap the kind with one argument, plus the RTF
 * options (used when {@code kind} is RTF, ignored otherwise). N is the real state size for every kind.
 * Kind-specific settings not named here take their defaults: RTF with the reference's defaults (one
 * denominator per channel, no constraint, zero init, h0 ~ N(0,1)) unless {@link #rtfOptions()} says
 * otherwise; S4D ZOH with LegS init; S4 bilinear LegS NPLR; Δ ∈ [1e-3, 1e-1] for both baselines.
 *
 * @param kind          the layer kind
 * @param channels      H
 * @param stateSize     N (real state size; S4/S4D keep N/2 complex modes)
 * @param maxLength     the longest input, L (the kernel length)
 * @param bidirectional two-sided kernel
 * @param precision     F32 or F64 computation on the backend
 * @param seed          initialisation seed
 * @param rtfOptions    the RTF-only settings
 */
public record LayerSpec(LayerKind kind, int channels, int stateSize, int maxLength, boolean bidirectional,
                        Precision precision, long seed, RtfOptions rtfOptions) {

    /**
     * The RTF-only settings of a spec.
     *
     * @param numA       distinct denominators, 0 = one per channel (H); must divide H
     * @param constraint denominator constraint (l1-Montel keeps the poles inside the unit disc)
     * @param init       denominator and numerator initialisation
     * @param h0Init     feed-through initialisation
     */
    public record RtfOptions(int numA, RtfConfig.Constraint constraint, RtfConfig.Init init, RtfConfig.H0Init h0Init) {
        /** The reference implementation's defaults. */
        public static final RtfOptions DEFAULTS = new RtfOptions(0, RtfConfig.Constraint.NONE, RtfConfig.Init.ZEROS,
            RtfConfig.H0Init.NORMAL);

        /** Validates the fields (numA against H is checked by the RTF configuration). */
        public RtfOptions {
            if (numA < 0) {
                throw new IllegalArgumentException("numA must be ≥ 0 (0 = one denominator per channel), got " + numA);
            }
            if (constraint == null || init == null || h0Init == null) {
                throw new IllegalArgumentException("RTF constraint, init and h0Init must not be null");
            }
        }

        /** These options with another constraint. */
        public RtfOptions withConstraint(RtfConfig.Constraint c) {
            return new RtfOptions(numA, c, init, h0Init);
        }
    }

    /** A spec with the RTF defaults. */
    public LayerSpec(LayerKind kind, int channels, int stateSize, int maxLength, boolean bidirectional,
                     Precision precision, long seed) {
        this(kind, channels, stateSize, maxLength, bidirectional, precision, seed, RtfOptions.DEFAULTS);
    }

    /** Validates the common fields (kind-specific checks happen in the configurations). */
    public LayerSpec {
        if (kind == null || precision == null || rtfOptions == null) {
            throw new IllegalArgumentException("kind, precision and rtfOptions must not be null");
        }
    }

    /** This spec with other RTF options. */
    public LayerSpec withRtfOptions(RtfOptions options) {
        return new LayerSpec(kind, channels, stateSize, maxLength, bidirectional, precision, seed, options);
    }

    /** The RTF configuration of this spec. */
    public RtfConfig rtf() {
        RtfConfig.Builder b = RtfConfig.builder(channels, stateSize, maxLength).bidirectional(bidirectional)
            .precision(precision).seed(seed).constraint(rtfOptions.constraint()).init(rtfOptions.init())
            .h0Init(rtfOptions.h0Init());
        if (rtfOptions.numA() > 0) {
            b.numA(rtfOptions.numA());
        }
        return b.build();
    }

    /** The S4D or S4 configuration of this spec. */
    public SsmConfig ssm() {
        SsmConfig base = kind == LayerKind.S4 ? SsmConfig.s4(channels, stateSize, maxLength)
            : SsmConfig.s4d(channels, stateSize, maxLength);
        return base.withBidirectional(bidirectional).withPrecision(precision).withSeed(seed);
    }
}
