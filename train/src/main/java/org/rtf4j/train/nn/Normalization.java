package org.rtf4j.train.nn;

import java.util.List;
import java.util.Map;
import org.rtf4j.layer.Parameter;

/** A normalisation op of the blocks: {@link LayerNorm} or {@link BatchNorm}. */
interface Normalization {
    /** y from x (B, H, ℓ); valid lengths (null = all full) and mode matter to batch statistics only. */
    double[] forward(double[] x, int batch, int length, int[] lengths, boolean training);

    double[] backward(double[] dy);

    List<Parameter> parameters();

    /** Non-trained state saved with the model (running statistics), by name. */
    default Map<String, double[]> buffers() {
        return Map.of();
    }
}
