package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Parameter;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.nn.ModelConfig;
import org.rtf4j.train.optim.TrainingDivergedException;

class TrainerTest extends WithJvmBackend {
    @TempDir
    Path tmp;

    static TrainConfig config(long steps, int batch, int accumulate, long checkpointEvery) {
        // BatchNorm, so that resuming must also restore the running statistics (the eval losses check them)
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 2, 8, 4).withDropout(0.1, 0.1)
            .withBlock(ModelConfig.Norm.BATCH, true, ModelConfig.Activation.GELU, true, true);
        return new TrainConfig("sign", Map.of(), m, batch, accumulate, steps, 0.01, 0.01, 0.005, 0.0, Math.min(2, steps - 1), 1.0, 0.0, 0,
            16, checkpointEvery, 7);
    }

    static final class Recorder implements Trainer.Listener {
        final List<Double> losses = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<Double> evals = new ArrayList<>();

        @Override
        public void evaluated(long step, Evaluation e) {
            evals.add(e.loss());
        }

        @Override
        public void step(long step, double loss, double accuracy, double lr) {
            losses.add(loss);
        }

        @Override
        public void log(String message) {
            log.add(message);
        }
    }

    @Test
    void learnsATinyTask() {
        TrainConfig c = config(60, 16, 1, 0);
        try (Trainer t = new Trainer(c, new SignTask(true), be, null, null)) {
            Evaluation before = t.evaluate(Split.TEST, 0);
            Evaluation after = t.run(Long.MAX_VALUE);
            assertTrue(after.accuracy() > 0.8 && after.loss() < before.loss(),
                "accuracy " + after.accuracy() + ", loss " + before.loss() + " → " + after.loss());
        }
    }

    @Test
    void sameSeedGivesTheSameLossCurveAndResumingContinuesIt() throws IOException {
        TrainConfig c = config(6, 4, 2, 2);
        Recorder straight = new Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, tmp.resolve("a"), straight)) {
            t.run(Long.MAX_VALUE);
        }
        Recorder again = new Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, tmp.resolve("b"), again)) {
            t.run(Long.MAX_VALUE);
        }
        assertEquals(straight.losses, again.losses, "bit-identical loss curves");

        Recorder first = new Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, tmp.resolve("c"), first)) {
            t.run(3);
        }
        Recorder second = new Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, tmp.resolve("c"), second)) {
            assertEquals(3, t.step(), "resumes from the checkpoint saved where the first part stopped");
            t.run(Long.MAX_VALUE);
        }
        List<Double> joined = new ArrayList<>(first.losses);
        joined.addAll(second.losses);
        assertEquals(straight.losses, joined, "resumed curve");
        assertEquals(straight.evals.get(straight.evals.size() - 1), second.evals.get(second.evals.size() - 1),
            "final evaluation (BatchNorm running statistics restored)");
        assertEquals(trainLosses(tmp.resolve("a")), trainLosses(tmp.resolve("c")), "metrics files hold one curve");
        assertEquals(List.of("checkpoint-000000006.safetensors", "checkpoint-000000004.safetensors"),
            Checkpoints.list(tmp.resolve("c")).stream().map(p -> p.getFileName().toString()).toList(), "two kept");
    }

    static List<String> trainLosses(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.csv"))) {
            String[] p = line.split(",", -1);
            if (p[0].equals("train")) {
                out.add(p[1] + ":" + p[3]);
            }
        }
        return out;
    }

    @Test
    void aTornNewestCheckpointFallsBackToThePreviousOneAndSaysSo() throws IOException {
        TrainConfig c = config(4, 4, 1, 2);
        Path dir = tmp.resolve("torn");
        try (Trainer t = new Trainer(c, new SignTask(false), be, dir, null)) {
            t.run(4);
        }
        Path newest = Checkpoints.list(dir).get(0);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.write(dir.resolve(".checkpoint-000000006.safetensors.123.tmp"), new byte[] {1, 2, 3});
        Recorder r = new Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, dir, r)) {
            assertEquals(2, t.step());
        }
        assertTrue(r.log.get(0).contains("unreadable") && r.log.get(0).contains("checkpoint-000000004"), r.log.toString());
    }

    @Test
    void anotherConfigurationInTheRunDirectoryIsRefused() {
        Path dir = tmp.resolve("x");
        try (Trainer t = new Trainer(config(2, 4, 1, 1), new SignTask(false), be, dir, null)) {
            t.run(1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Trainer(config(3, 4, 1, 1), new SignTask(false), be, dir, null));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    @Test
    void accumulationEqualsOneLargerBatch() {
        ModelConfig m = ModelConfig.standard(LayerKind.S4D, 1, 4, 4).withPrecision(Precision.F64);
        TrainConfig big = new TrainConfig("sign", Map.of(), m, 8, 1, 1, 0.01, 0.0, 0.01, 0.0, 0, 0.0, 0.0, 0, 8, 0, 3);
        TrainConfig acc = new TrainConfig("sign", Map.of(), m, 4, 2, 1, 0.01, 0.0, 0.01, 0.0, 0, 0.0, 0.0, 0, 8, 0, 3);
        try (Trainer a = new Trainer(big, new SignTask(false), be, null, null);
             Trainer b = new Trainer(acc, new SignTask(false), be, null, null)) {
            a.run(1);
            b.run(1);
            for (Map.Entry<String, Parameter> e : a.model().parameters().entrySet()) {
                assertArrayEquals(e.getValue().value(), b.model().parameters().get(e.getKey()).value(), 1e-12, e.getKey());
            }
        }
    }

    @Test
    void aDenominatorOnTheUnitCircleStopsWithTheStepAndLayerNamed() {
        TrainConfig c = config(3, 4, 1, 0);
        try (Trainer t = new Trainer(c, new SignTask(false), be, null, null)) {
            t.run(1);
            // every denominator 1 − (1/N)·Σ z^-n vanishes at z = 1
            java.util.Arrays.fill(t.model().parameters().get("blocks.1.ssm.ab").value(), -1.0 / 4);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(2));
            assertTrue(e.getMessage().startsWith("training diverged at step 1: blocks.1.ssm: denominator"), e.getMessage());
            assertEquals(1, e.step());
            NumericalFailureException cause = assertInstanceOf(NumericalFailureException.class, e.getCause());
            assertEquals("blocks.1.ssm", cause.layer());
            assertEquals("denominator", cause.quantity());
            assertEquals(0, cause.bin(), "z = 1 is bin 0");
        }
    }

    /** Token inputs; the example at index 5 of the training split holds a token id outside the vocabulary. */
    private static final class BadTokenTask implements Dataset {
        @Override
        public TaskSpec spec() {
            return new TaskSpec("sign", 4, 0, 2, TaskSpec.Target.SEQUENCE_CLASS, 8);
        }

        @Override
        public int size(Split split) {
            return 16;
        }

        @Override
        public Example get(Split split, long index) {
            return Example.tokens(new int[] {1, 2, index == 5 && split == Split.TRAIN ? 4 : 3}, (int) (index % 2));
        }
    }

    @Test
    void aShapeBugInsideTrainingIsReportedAsTheBugNotAsDivergence() {
        // the batcher passes token ids through; the embedding refuses the bad one inside the model's forward pass
        try (Trainer t = new Trainer(config(3, 16, 1, 0), new BadTokenTask(), be, null, null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.run(1));
            assertTrue(e.getMessage().contains("must be in [0, 4), got 4"), e.getMessage());
            assertEquals(0, t.step());
        }
    }

    @Test
    void aNonFiniteGradientStopsWithStepLayerAndParameter() {
        TrainConfig c = config(3, 4, 1, 0);
        try (Trainer t = new Trainer(c, new SignTask(false), be, null, null)) {
            t.run(1);
            t.model().parameters().get("blocks.1.output_linear.weight").value()[3] = Double.NaN;
            t.model().push();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(2));
            assertEquals(1, e.step());
            // the NaN weight makes the loss NaN: said as such, not as the first SSM layer's gradient check
            assertTrue(e.getMessage().startsWith("training diverged at step 1: loss = NaN (the forward pass was not finite)"),
                e.getMessage());
        }
    }

    @Test
    void anOutOfVocabularyTokenIsRefusedInEvaluationToo() {
        try (Trainer t = new Trainer(config(3, 16, 1, 0), new BadTokenTask(), be, null, null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.evaluate(Split.TRAIN, 0));
            assertEquals("token at example 5, position 2 must be in [0, 4), got 4", e.getMessage());
        }
    }
}
