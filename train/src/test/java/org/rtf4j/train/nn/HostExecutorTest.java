package org.rtf4j.train.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * The model's host loops run on the executor it was given and on no other pool (before, they ran on the
 * common fork-join pool, which {@code --threads} did not bound), and their results do not depend on its size.
 */
class HostExecutorTest extends WithJvmBackend {

    @Test
    void theHostLoopsRunOnTheCallerAndTheExecutorsWorkersOnly() {
        try (JvmExecutor host = new JvmExecutor(3)) {
            Set<Thread> ran = Collections.synchronizedSet(new HashSet<>());
            for (int n : new int[] {2, 3, 64, 1000}) {
                Parallel.forEach(host, n, i -> ran.add(Thread.currentThread()));
            }
            Set<String> names = new HashSet<>();
            for (Thread t : ran) {
                assertFalse(t instanceof ForkJoinWorkerThread, t.getName() + " is a fork-join pool thread");
                names.add(t.getName());
            }
            assertEquals(Set.of(Thread.currentThread().getName(), "rtf4j-jvm-1", "rtf4j-jvm-2"), names);
        }
    }

    @Test
    void theModelRunsItsHostCodeOnTheGivenExecutor() {
        TaskSpec task = SequenceModelGradientTest.task(TaskSpec.Target.SEQUENCE_CLASS, 6);
        ModelConfig cfg = ModelConfig.standard(LayerKind.RTF, 2, 4, 4).withPrecision(Precision.F64);
        JvmExecutor host = new JvmExecutor(2);
        try (SequenceModel m = new SequenceModel(cfg, task, be, host, 3)) {
            Batch a = SequenceModelGradientTest.batch(task, new int[] {6, 4}, 2);
            m.forward(a, false, 0);
            host.close();
            // the layers' own backend is open; only the host executor is closed, and the model notices
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(a, false, 0));
            assertEquals("JvmExecutor is closed", e.getMessage());
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfHostThreads() {
        TaskSpec task = SequenceModelGradientTest.task(TaskSpec.Target.REGRESSION, 9);
        ModelConfig cfg = ModelConfig.standard(LayerKind.S4D, 2, 16, 4).withPrecision(Precision.F64)
            .withBlock(ModelConfig.Norm.BATCH, true, ModelConfig.Activation.GELU, true, true).withPooling(Pooling.NONE);
        Batch a = SequenceModelGradientTest.batch(task, new int[] {9, 5, 7, 9, 2}, 4);
        double[][] out = new double[2][];
        double[][] grad = new double[2][];
        int[] sizes = {1, 3};
        for (int k = 0; k < 2; k++) {
            try (JvmExecutor host = new JvmExecutor(sizes[k]);
                 SequenceModel m = new SequenceModel(cfg, task, be, host, 5)) {
                out[k] = m.forward(a, true, 7);
                m.zeroGrad();
                double[] g = new double[out[k].length];
                java.util.Arrays.fill(g, 0.25);
                m.backward(g);
                grad[k] = m.parameters().get("encoder.weight").grad().clone();
            }
        }
        assertArrayEquals(out[0], out[1], "outputs, bit for bit");
        assertArrayEquals(grad[0], grad[1], "gradients, bit for bit");
    }
}
