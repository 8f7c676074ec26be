package org.rtf4j.cli.study;

import org.rtf4j.layer.LayerKind;

/** One measured configuration of a speed-up study. */
public record StudyCase(LayerKind layer, boolean bidirectional, int batch, int channels, int length, int stateSize,
                        Phase phase) {
    /** What is timed. */
    public enum Phase {
        /** Kernel generation and its gradient (no convolution). */
        kernel,
        /** Layer forward pass. */
        forward,
        /** Layer forward and backward pass. */
        forward_backward
    }

    /** The layer configuration, without the phase. */
    String shapeKey() {
        return layer + "/" + bidirectional + "/" + batch + "/" + channels + "/" + length + "/" + stateSize;
    }
}
