package org.rtf4j.train.nn;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.rtf.RtfConfig;

/**
 * The architecture of a {@link SequenceModel} (docs/ssm-math.md §6.1): an encoder, {@code layers} residual blocks
 * of [norm, SSM layer, activation, dropout, Linear(H→2H) + GLU, residual dropout (tied over length),
 * residual], pooling and a linear decoder. The task supplies vocabulary/inputs, outputs and length.
 *
 * @param kind         SSM layer kind (rtf, s4d, s4)
 * @param layers       number of blocks (≥ 1)
 * @param channels     model width H
 * @param stateSize    state size N of every SSM layer
 * @param bidirectional two-sided SSM layers
 * @param norm         normalisation inside the blocks
 * @param prenorm      norm before the SSM layer (and a final norm after the blocks) rather than after the residual
 * @param activation   activation after the SSM layer
 * @param glu          Linear(H→2H) + GLU output projection
 * @param residual     residual connection
 * @param dropout      layer dropout p after the activation
 * @param residualDropout dropout p on the block output, tied over the length axis
 * @param pooling      pooling before the decoder
 * @param precision    precision of the whole model on its backend: values, gradients, moments, activations
 * @param rtfConstraint denominator constraint of RTF layers (absent in older checkpoints: none)
 */
public record ModelConfig(LayerKind kind, int layers, int channels, int stateSize, boolean bidirectional, Norm norm,
                          boolean prenorm, Activation activation, boolean glu, boolean residual, double dropout,
                          double residualDropout, Pooling pooling, Precision precision,
                          RtfConfig.Constraint rtfConstraint) {

    /** Normalisation kinds. */
    public enum Norm { LAYER, BATCH, NONE }

    /** Activations after the SSM layer. */
    public enum Activation { GELU, NONE }

    public ModelConfig {
        if (rtfConstraint == null) {
            rtfConstraint = RtfConfig.Constraint.NONE;
        }
        if (kind == null || norm == null || activation == null || pooling == null || precision == null) {
            throw new IllegalArgumentException("model config: kind, norm, activation, pooling and precision must be set");
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be ≥ 1, got " + layers);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels (H) must be ≥ 1, got " + channels);
        }
        if (stateSize < 1) {
            throw new IllegalArgumentException("state size (N) must be ≥ 1, got " + stateSize);
        }
        for (double p : new double[] {dropout, residualDropout}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
            }
        }
    }

    /** The paper's LRA-style block with the given sizes: LayerNorm, pre-norm, GELU, GLU, residual, no dropout. */
    public static ModelConfig standard(LayerKind kind, int layers, int channels, int stateSize) {
        return new ModelConfig(kind, layers, channels, stateSize, false, Norm.LAYER, true, Activation.GELU, true, true,
            0.0, 0.0, Pooling.MEAN, Precision.F32, RtfConfig.Constraint.NONE);
    }

    public ModelConfig withBidirectional(boolean v) {
        return new ModelConfig(kind, layers, channels, stateSize, v, norm, prenorm, activation, glu, residual, dropout,
            residualDropout, pooling, precision, rtfConstraint);
    }

    public ModelConfig withPooling(Pooling v) {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, norm, prenorm, activation, glu, residual,
            dropout, residualDropout, v, precision, rtfConstraint);
    }

    public ModelConfig withPrecision(Precision v) {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, norm, prenorm, activation, glu, residual,
            dropout, residualDropout, pooling, v, rtfConstraint);
    }

    public ModelConfig withDropout(double layer, double res) {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, norm, prenorm, activation, glu, residual,
            layer, res, pooling, precision, rtfConstraint);
    }

    /** The Delay task's linear model: no norm, activation, projection or residual. */
    public ModelConfig linear() {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, Norm.NONE, false, Activation.NONE, false,
            false, dropout, residualDropout, pooling, precision, rtfConstraint);
    }

    public ModelConfig withRtfConstraint(RtfConfig.Constraint v) {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, norm, prenorm, activation, glu, residual,
            dropout, residualDropout, pooling, precision, v);
    }

    public ModelConfig withBlock(Norm n, boolean pre, Activation a, boolean g, boolean r) {
        return new ModelConfig(kind, layers, channels, stateSize, bidirectional, n, pre, a, g, r, dropout,
            residualDropout, pooling, precision, rtfConstraint);
    }
}
