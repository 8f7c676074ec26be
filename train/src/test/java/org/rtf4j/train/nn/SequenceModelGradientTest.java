package org.rtf4j.train.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.TaskSpec;

/**
 * Every op of the model, through the whole network, against Richardson central differences (float64 SSM
 * layers, tolerance 1e-7 relative to the largest gradient): token and real inputs, the three targets,
 * variable lengths, uni- and bidirectional layers of every kind, pre- and post-norm, dropout on.
 */
class SequenceModelGradientTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LayerKind kind : LayerKind.values()) {
            out.add(Arguments.of(kind, TaskSpec.Target.SEQUENCE_CLASS, true, true, ModelConfig.Norm.LAYER));
            out.add(Arguments.of(kind, TaskSpec.Target.TOKEN_CLASS, false, false, ModelConfig.Norm.LAYER));
            out.add(Arguments.of(kind, TaskSpec.Target.REGRESSION, true, false, ModelConfig.Norm.LAYER));
        }
        out.add(Arguments.of(LayerKind.RTF, TaskSpec.Target.SEQUENCE_CLASS, true, true, ModelConfig.Norm.BATCH));
        out.add(Arguments.of(LayerKind.S4D, TaskSpec.Target.TOKEN_CLASS, false, false, ModelConfig.Norm.BATCH));
        out.add(Arguments.of(LayerKind.S4, TaskSpec.Target.REGRESSION, true, true, ModelConfig.Norm.NONE));
        return out;
    }

    @ParameterizedTest(name = "{0} {1} bidirectional={2} prenorm={3} norm={4}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(LayerKind kind, TaskSpec.Target target, boolean bidirectional, boolean prenorm,
                                          ModelConfig.Norm norm) {
        TaskSpec task = task(target, 7);
        ModelConfig cfg = new ModelConfig(kind, 2, 4, 4, bidirectional, norm, prenorm,
            ModelConfig.Activation.GELU, true, true, 0.25, 0.25,
            target == TaskSpec.Target.SEQUENCE_CLASS ? Pooling.MEAN : Pooling.NONE, Precision.F64,
            bidirectional ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE);
        try (SequenceModel m = new SequenceModel(cfg, task, be, 11)) {
            perturbSsm(m, 5);
            Batch batch = batch(task, new int[] {7, 4, 6}, 3);
            long seed = 99;
            m.zeroGrad();
            double[] out = m.forward(batch, true, seed);
            double[] s = m.lossScalars();
            // the loss kernel against the float64 host formulas on the same outputs
            LossReference ref = LossReference.of(task, out, batch);
            assertEquals(ref.loss(), s[LossShape.LOSS_SUM] / s[LossShape.COUNT], 1e-12 * Math.max(1, Math.abs(ref.loss())));
            assertEquals(ref.count(), (long) s[LossShape.COUNT]);
            m.backward();
            m.pullGradients();
            for (Map.Entry<String, Parameter> e : m.parameters().entrySet()) {
                Parameter p = e.getValue();
                double[] fd = FiniteDifferences.gradient(p.value(), () -> {
                    m.push();
                    m.forward(batch, true, seed);
                    double[] sc = m.lossScalars();
                    return sc[LossShape.LOSS_SUM] / sc[LossShape.COUNT];
                }, 1e-4);
                Check.close(kind + " " + e.getKey(), p.grad(), fd, 1e-7);
            }
        }
    }

    @Test
    void paddingDoesNotLeakThroughABidirectionalLayer() {
        TaskSpec task = task(TaskSpec.Target.REGRESSION, 9);
        ModelConfig cfg = ModelConfig.standard(LayerKind.RTF, 2, 4, 4).withBidirectional(true).withPooling(Pooling.NONE)
            .withPrecision(Precision.F64);
        try (SequenceModel m = new SequenceModel(cfg, task, be, 3)) {
            perturbSsm(m, 8);
            Batch a = batch(task, new int[] {9, 5}, 1);
            double[] ya = m.forward(a, false, 0);
            double[] noisy = a.features().clone();
            for (int t = 5; t < 9; t++) {
                noisy[(1 * 2 + 0) * 9 + t] = 100 + t;
                noisy[(1 * 2 + 1) * 9 + t] = -50 - t;
            }
            Batch b = new Batch(a.size(), a.length(), a.lengths(), null, noisy, a.channels(), null, null, a.targetValues());
            double[] yb = m.forward(b, false, 0);
            // outputs (B=2, K=2, L=9): sequence 1 channel c at (2 + c)·9 + t
            for (int i = 0; i < 18; i++) {
                assertEquals(ya[i], yb[i], 0.0, "sequence 0 is untouched");
            }
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 5; t++) {
                    int i = (2 + c) * 9 + t;
                    assertEquals(ya[i], yb[i], 1e-12, "valid position " + t + " of sequence 1, output " + c);
                }
            }
            // the check can fail: without the mask the padding reaches valid positions
            noisy[(1 * 2) * 9 + 2] += 1.0;
            Batch c = new Batch(a.size(), a.length(), a.lengths(), null, noisy, a.channels(), null, null, a.targetValues());
            assertNotEquals(ya[18], m.forward(c, false, 0)[18], "an input inside the valid range does reach t=0");
        }
    }

    @Test
    void evalModeTurnsDropoutOffAndTrainingModeIsReproducible() {
        TaskSpec task = task(TaskSpec.Target.SEQUENCE_CLASS, 6);
        ModelConfig cfg = ModelConfig.standard(LayerKind.S4D, 1, 4, 4).withDropout(0.5, 0.5).withPrecision(Precision.F64);
        try (SequenceModel m = new SequenceModel(cfg, task, be, 3)) {
            Batch a = batch(task, new int[] {6, 6}, 2);
            double[] e1 = m.forward(a, false, 1);
            double[] e2 = m.forward(a, false, 2);
            assertArrayEquals(e1, e2, "eval mode ignores the dropout seed");
            double[] t1 = m.forward(a, true, 1);
            assertArrayEquals(t1, m.forward(a, true, 1), "same seed, same masks");
            assertNotEquals(t1[0], m.forward(a, true, 2)[0], "another seed, other masks");
        }
    }

    @Test
    void batchNormUsesValidPositionsInTrainingAndRunningStatisticsInEvalMode() {
        try (Norm bn = new Norm("bn", ModelConfig.Norm.BATCH, 1, be, Precision.F64);
             DeviceBuffer x = be.allocate(Precision.F64, 6); IndexBuffer lengths = be.allocateIndices(2)) {
            // B=2, H=1, L=3; sequence 1 has length 1: statistics over {1, 2, 3, 10}, padding (100, 100) excluded
            be.write(x, 0, new double[] {1, 2, 3, 10, 100, 100}, 0, 6);
            be.writeIndices(lengths, 0, new int[] {3, 1}, 0, 2);
            double[] y = new double[6];
            be.read(bn.forward(x, 2, 3, lengths, true), 0, y, 0, 6);
            double mean = 4.0;
            double var = (9 + 4 + 1 + 36) / 4.0;
            assertEquals((1 - mean) / Math.sqrt(var + 1e-5), y[0], 1e-12);
            assertEquals((10 - mean) / Math.sqrt(var + 1e-5), y[3], 1e-12);
            bn.statistics().values().forEach(Statistic::pull);
            assertEquals(0.1 * mean, bn.statistics().get("bn.running_mean").host()[0], 1e-15);
            assertEquals(0.9 + 0.1 * (var * 4 / 3), bn.statistics().get("bn.running_var").host()[0], 1e-12,
                "unbiased running variance");
            be.write(x, 0, new double[] {5}, 0, 1);
            be.writeIndices(lengths, 0, new int[] {1}, 0, 1);
            double[] e = new double[1];
            be.read(bn.forward(x, 1, 1, lengths, false), 0, e, 0, 1);
            assertEquals((5 - 0.4) / Math.sqrt(0.9 + 0.1 * var * 4 / 3 + 1e-5), e[0], 1e-12, "eval mode uses running stats");
        }
    }

    @Test
    void poolingMustMatchTheTarget() {
        TaskSpec task = task(TaskSpec.Target.TOKEN_CLASS, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new SequenceModel(ModelConfig.standard(LayerKind.RTF, 1, 4, 4), task, be, 1));
        assertEquals("task tiny predicts per position: pooling must be none, got mean", e.getMessage());
    }

    static TaskSpec task(TaskSpec.Target target, int maxLength) {
        return target == TaskSpec.Target.TOKEN_CLASS ? new TaskSpec("tiny", 5, 0, 5, target, maxLength)
            : new TaskSpec("tiny", 0, 2, target == TaskSpec.Target.REGRESSION ? 2 : 3, target, maxLength);
    }

    static Batch batch(TaskSpec task, int[] lengths, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> ex = new ArrayList<>();
        for (int len : lengths) {
            int[] tokens = null;
            float[] features = null;
            if (task.tokens()) {
                tokens = r.ints(len, 0, task.vocabulary()).toArray();
            } else {
                features = new float[task.inputChannels() * len];
                for (int i = 0; i < features.length; i++) {
                    features[i] = (float) (2 * r.nextDouble() - 1);
                }
            }
            int label = task.target() == TaskSpec.Target.SEQUENCE_CLASS ? r.nextInt(task.outputs()) : -1;
            int[] tt = null;
            float[] tv = null;
            if (task.target() == TaskSpec.Target.TOKEN_CLASS) {
                tt = new int[len];
                for (int t = 0; t < len; t++) {
                    tt[t] = t % 2 == 0 ? -1 : r.nextInt(task.outputs());
                }
            } else if (task.target() == TaskSpec.Target.REGRESSION) {
                tv = new float[task.outputs() * len];
                for (int i = 0; i < tv.length; i++) {
                    tv[i] = (float) r.nextDouble();
                }
            }
            ex.add(new Example(len, tokens, features, label, tt, tv));
        }
        return Batch.of(task, ex);
    }

    /** Moves the SSM parameters off their structured init so that every gradient is exercised. */
    static void perturbSsm(SequenceModel m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Map.Entry<String, Parameter> e : m.parameters().entrySet()) {
            if (e.getValue().ssm()) {
                double[] v = e.getValue().value();
                for (int i = 0; i < v.length; i++) {
                    v[i] += 0.05 * (2 * r.nextDouble() - 1);
                }
            }
        }
    }
}
