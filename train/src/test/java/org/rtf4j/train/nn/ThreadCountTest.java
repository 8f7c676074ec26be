package org.rtf4j.train.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * The whole model on the JVM backend gives the same bits on 1 and 3 threads: outputs, loss scalars and
 * every gradient, in both precisions, with BatchNorm, dropout, GLU and padding.
 */
class ThreadCountTest {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void resultsDoNotDependOnTheNumberOfThreads(Precision p) {
        TaskSpec task = SequenceModelGradientTest.task(TaskSpec.Target.REGRESSION, 9);
        ModelConfig cfg = ModelConfig.standard(LayerKind.S4D, 2, 16, 4).withPrecision(p).withDropout(0.25, 0.25)
            .withBlock(ModelConfig.Norm.BATCH, true, ModelConfig.Activation.GELU, true, true).withPooling(Pooling.NONE);
        Batch a = SequenceModelGradientTest.batch(task, new int[] {9, 5, 7, 9, 2}, 4);
        double[][] out = new double[2][];
        double[][] scalars = new double[2][];
        double[][][] grads = new double[2][][];
        int[] sizes = {1, 3};
        for (int k = 0; k < 2; k++) {
            try (JvmBackend be = JvmBackend.withThreads(sizes[k]); SequenceModel m = new SequenceModel(cfg, task, be, 5)) {
                m.zeroGrad();
                out[k] = m.forward(a, true, 7);
                scalars[k] = m.lossScalars();
                m.backward();
                m.pullGradients();
                grads[k] = m.parameters().values().stream().map(q -> q.grad().clone()).toArray(double[][]::new);
            }
        }
        assertArrayEquals(out[0], out[1], "outputs, bit for bit");
        assertArrayEquals(scalars[0], scalars[1], "loss scalars, bit for bit");
        for (int i = 0; i < grads[0].length; i++) {
            assertArrayEquals(grads[0][i], grads[1][i], "gradient " + i + ", bit for bit");
        }
    }
}
