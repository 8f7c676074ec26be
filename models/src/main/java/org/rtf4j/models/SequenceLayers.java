package org.rtf4j.models;

import org.rtf4j.baselines.S4Layer;
import org.rtf4j.baselines.S4dLayer;
import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.SequenceLayer;
import org.rtf4j.rtf.RtfLayer;

/** Typed factory of every layer kind behind the {@link SequenceLayer} contract. */
public final class SequenceLayers {
    private SequenceLayers() {
    }

    /** A new layer of {@code spec.kind()} on the backend. */
    public static SequenceLayer create(LayerSpec spec, Backend backend) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        switch (spec.kind()) {
            case RTF:
                return new RtfLayer(spec.rtf(), backend);
            case S4D:
                return new S4dLayer(spec.ssm(), backend);
            case S4:
                return new S4Layer(spec.ssm(), backend);
            default:
                throw new IllegalArgumentException("unknown layer kind " + spec.kind());
        }
    }

    /** A new S4D or S4 layer from its full configuration. */
    public static SequenceLayer create(SsmConfig config, Backend backend) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return config.kind() == org.rtf4j.layer.LayerKind.S4 ? new S4Layer(config, backend) : new S4dLayer(config, backend);
    }
}
