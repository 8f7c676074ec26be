package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.MemoryLimitException;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.nn.ModelConfig;
import org.rtf4j.train.nn.SequenceModel;

/** The training memory estimate covers the model it describes, and a run that cannot fit is refused before it starts. */
class TrainerMemoryTest extends WithJvmBackend {

    private static TrainConfig config(ModelConfig m, int batch) {
        return new TrainConfig("sign", Map.of(), m, batch, 1, 10, 0.01, 0.0, 0.01, 0.0, 0, 1.0, 0.0, 0, 0, 0, 1);
    }

    @Test
    void parameterEstimateCoversTheBuiltModel() {
        TaskSpec task = new SignTask(true).spec();
        for (ModelConfig m : new ModelConfig[] {
            ModelConfig.standard(LayerKind.RTF, 2, 8, 4),
            ModelConfig.standard(LayerKind.S4D, 3, 6, 4).withBidirectional(true),
            ModelConfig.standard(LayerKind.S4, 1, 5, 6).withBlock(ModelConfig.Norm.BATCH, false, ModelConfig.Activation.NONE,
                false, true)}) {
            try (SequenceModel model = new SequenceModel(m, task, be, 1)) {
                long values = 16 * model.size();
                long estimate = SequenceModel.parameterBytes(m, task);
                assertTrue(estimate >= values && estimate <= 3 * values + (1 << 16), m + ": " + estimate + " bytes for "
                    + model.size() + " parameters");
            }
        }
        // twice the batch, about twice the activations
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 2, 8, 4);
        assertEquals(2 * SequenceModel.activationBytes(m, task, 16), SequenceModel.activationBytes(m, task, 32));
    }

    @Test
    void runsThatCannotFitAreRefusedBeforeTheModelIsBuilt() {
        SignTask data = new SignTask(true);
        // a batch whose activations cannot be one Java array
        TrainConfig huge = config(ModelConfig.standard(LayerKind.RTF, 2, 32, 4), 100_000_000);
        MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> new Trainer(huge, data, be, null, null));
        assertEquals("train: the activations of batch 100000000 × channels 32 × length 8 would have 51,200,000,000"
            + " elements, more than a Java array can hold (2,147,483,639)", e.getMessage());
        // a billion blocks: tens of terabytes
        TrainConfig deep = config(ModelConfig.standard(LayerKind.RTF, 1_000_000_000, 8, 4), 4);
        e = assertThrows(MemoryLimitException.class, () -> new Trainer(deep, data, be, null, null));
        assertTrue(e.getMessage().startsWith("train: batch 4 × length 8 × channels 8 × 1000000000 layers (rtf, state 4)"
            + " needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("TiB of heap") && e.getMessage().contains("RTF4J_JAVA_OPTS=-Xmx<size>"),
            e.getMessage());
        assertEquals(0, be.liveBytes(), "no layer was built");
    }
}
