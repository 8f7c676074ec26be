package org.rtf4j.baselines;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.rtf.RtfConfig;

/**
 * What every layer kind shares, so that models and benchmarks swap the kind with one argument.
 * N is the real state size for every kind. Kind-specific settings take their defaults: RTF with one
 * denominator per channel, zero init and h0 ~ N(0,1) (the reference's defaults); S4D ZOH with LegS init;
 * S4 bilinear LegS NPLR; Δ ∈ [1e-3, 1e-1] for both baselines.
 */
public record LayerSpec(LayerKind kind, int channels, int stateSize, int maxLength, boolean bidirectional,
                        Precision precision, long seed) {

    /** Validates the common fields (kind-specific checks happen in the configurations). */
    public LayerSpec {
        if (kind == null || precision == null) {
            throw new IllegalArgumentException("kind and precision must not be null");
        }
    }

    /** The RTF configuration of this spec. */
    public RtfConfig rtf() {
        return rtfBuilder().build();
    }

    /** A builder holding this spec's RTF settings, for the RTF-specific ones to be changed. */
    public RtfConfig.Builder rtfBuilder() {
        return RtfConfig.builder(channels, stateSize, maxLength).bidirectional(bidirectional).precision(precision)
            .seed(seed);
    }

    /** The S4D or S4 configuration of this spec. */
    public SsmConfig ssm() {
        SsmConfig base = kind == LayerKind.S4 ? SsmConfig.s4(channels, stateSize, maxLength)
            : SsmConfig.s4d(channels, stateSize, maxLength);
        return base.withBidirectional(bidirectional).withPrecision(precision).withSeed(seed);
    }
}
