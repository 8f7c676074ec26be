package org.rtf4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.SequenceLayer;

/** The factory gives every kind behind the one contract, with the spec's shape, direction and options. */
class SequenceLayersTest extends WithJvmBackend {

    @Test
    void everyKindFromOneSpec() {
        for (LayerKind kind : LayerKind.values()) {
            LayerSpec spec = new LayerSpec(kind, 4, 8, 64, true, Precision.F32, 1);
            try (SequenceLayer layer = SequenceLayers.create(spec, be)) {
                assertEquals(kind, layer.kind());
                assertEquals(8, layer.stateSize());
                assertEquals(true, layer.bidirectional());
                float[] y = new float[2 * 4 * 64];
                layer.forward(new float[y.length], 2, 64, y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SequenceLayers.create((LayerSpec) null, be));
    }
}
