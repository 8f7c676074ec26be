package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.formats.SafeTensors;
import org.rtf4j.formats.Tensor;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.train.nn.ModelConfig;

/** Loading checkpoints: what is refused, with which message, and that nothing on disk is changed by a refusal. */
class CheckpointsTest extends WithJvmBackend {
    @TempDir
    Path tmp;

    /** A run directory after {@code steps} updates of {@code c}. */
    private Path trained(String name, TrainConfig c, long steps) {
        Path dir = tmp.resolve(name);
        try (Trainer t = new Trainer(c, new SignTask(false), be, dir, null)) {
            t.run(steps);
        }
        return dir;
    }

    private static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                out.put(p, Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertUnchanged(Map<Path, byte[]> before, Path dir) throws IOException {
        Map<Path, byte[]> after = snapshot(dir);
        assertEquals(before.keySet(), after.keySet(), "no file created or deleted");
        for (Path p : before.keySet()) {
            assertArrayEquals(before.get(p), after.get(p), p + " is byte-identical");
        }
    }

    /** Rewrites a checkpoint with its tensors and metadata changed. */
    private static void rewrite(Path file, UnaryOperator<Map<String, Tensor>> tensors,
                                UnaryOperator<Map<String, String>> meta) {
        SafeTensors.Contents c = SafeTensors.read(file);
        SafeTensors.write(file, tensors.apply(new LinkedHashMap<>(c.tensors())), meta.apply(new LinkedHashMap<>(c.metadata())));
    }

    private static void replace(Map<String, Tensor> m, String name, double[] data, long... shape) {
        Tensor t = m.get(name);
        m.put(name, new Tensor(name, t.dtype(), shape, data));
    }

    /** The name of a parameter with two different dimensions, both more than 1, and its shape. */
    private Map.Entry<String, int[]> rectangular(TrainConfig c) {
        try (Trainer t = new Trainer(c, new SignTask(false), be, null, null)) {
            for (Map.Entry<String, Parameter> e : t.model().parameters().entrySet()) {
                int[] s = e.getValue().shape();
                if (s.length == 2 && s[0] != s[1] && s[0] > 1 && s[1] > 1) {
                    return Map.entry(e.getKey(), s);
                }
            }
        }
        throw new AssertionError("no rectangular parameter");
    }

    @Test
    void aRunDirectoryWhoseCheckpointsAreAllUnreadableIsRefusedAndLeftAsItWas() throws IOException {
        TrainConfig c = TrainerTest.config(4, 4, 1, 2);
        Path dir = trained("all", c, 4);
        List<Path> files = Checkpoints.list(dir);
        assertEquals(2, files.size());
        byte[] newest = Files.readAllBytes(files.get(0));
        Files.write(files.get(0), Arrays.copyOf(newest, newest.length / 2));
        Files.write(files.get(1), new byte[3]);
        Map<Path, byte[]> before = snapshot(dir);

        TrainerTest.Recorder r = new TrainerTest.Recorder();
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new Trainer(c, new SignTask(false), be, dir, r));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("run directory " + dir + " holds no readable checkpoint: "), m);
        assertTrue(m.contains("checkpoint-000000004.safetensors (") && m.contains("checkpoint-000000002.safetensors ("), m);
        assertTrue(m.contains("fewer than the 8-byte header length"), "the reason of the 3-byte file: " + m);
        assertTrue(m.contains("data section"), "the reason of the torn file: " + m);
        assertFalse(m.contains("trying the previous one"), m);
        assertEquals(List.of(), r.log, "nothing reported as if it went on");
        assertUnchanged(before, dir);
    }

    @Test
    void aTornNewestCheckpointIsReportedAndThePreviousOneUsed() throws IOException {
        TrainConfig c = TrainerTest.config(4, 4, 1, 2);
        Path dir = trained("torn", c, 4);
        Path newest = Checkpoints.list(dir).get(0);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length - 8));
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        try (Trainer t = new Trainer(c, new SignTask(false), be, dir, r)) {
            assertEquals(2, t.step());
        }
        assertEquals(2, r.log.size(), r.log.toString());
        assertTrue(r.log.get(0).startsWith("checkpoint " + newest + " is unreadable (")
            && r.log.get(0).endsWith("); trying the previous one"), r.log.get(0));
        assertTrue(r.log.get(1).startsWith("resumed from ") && r.log.get(1).contains("checkpoint-000000002"), r.log.get(1));
    }

    @Test
    void aSingleTornCheckpointIsRefusedWithoutMentioningAPreviousOne() throws IOException {
        TrainConfig c = TrainerTest.config(3, 4, 1, 0);
        Path dir = trained("single", c, 3);
        Path only = Checkpoints.list(dir).get(0);
        byte[] bytes = Files.readAllBytes(only);
        Files.write(only, Arrays.copyOf(bytes, bytes.length / 3));
        Map<Path, byte[]> before = snapshot(dir);
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new Trainer(c, new SignTask(false), be, dir, r));
        assertTrue(e.getMessage().contains("checkpoint-000000003.safetensors ("), e.getMessage());
        assertFalse(e.getMessage().contains("previous"), e.getMessage());
        assertEquals(List.of(), r.log);
        assertUnchanged(before, dir);
    }

    @Test
    void aTransposedParameterIsRefusedWithBothShapes() {
        TrainConfig c = TrainerTest.config(2, 4, 1, 0);
        Map.Entry<String, int[]> p = rectangular(c);
        int a = p.getValue()[0];
        int b = p.getValue()[1];
        Path dir = trained("transposed", c, 2);
        Path file = Checkpoints.list(dir).get(0);
        String name = "model." + p.getKey();
        rewrite(file, m -> {
            replace(m, name, m.get(name).data(), b, a);
            return m;
        }, UnaryOperator.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Trainer(c, new SignTask(false), be, dir, null));
        assertEquals(file + ": tensor " + name + " has shape (" + b + ", " + a + "), the model expects (" + a + ", " + b
            + ")", e.getMessage());
    }

    @Test
    void optimizerMomentsAreStoredWithTheirParametersShapeAndCheckedAgainstIt() {
        TrainConfig c = TrainerTest.config(2, 4, 1, 0);
        Map.Entry<String, int[]> p = rectangular(c);
        int a = p.getValue()[0];
        int b = p.getValue()[1];
        Path dir = trained("moments", c, 2);
        Path file = Checkpoints.list(dir).get(0);
        String name = "adam.v." + p.getKey();
        assertArrayEquals(new long[] {a, b}, SafeTensors.read(file).tensors().get(name).shape());
        rewrite(file, m -> {
            replace(m, name, m.get(name).data(), b, a);
            return m;
        }, UnaryOperator.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Trainer(c, new SignTask(false), be, dir, null));
        assertTrue(e.getMessage().contains(name + " has shape (" + b + ", " + a + "), the model expects (" + a + ", " + b
            + ")"), e.getMessage());
    }

    @Test
    void aFormatOneCheckpointWithFlatMomentsStillResumes() {
        TrainConfig c = TrainerTest.config(4, 4, 1, 2);
        Path dir = trained("v1", c, 2);
        Path file = Checkpoints.list(dir).get(0);
        rewrite(file, m -> {
            for (String k : List.copyOf(m.keySet())) {
                if (k.startsWith("adam.")) {
                    replace(m, k, m.get(k).data(), m.get(k).data().length);
                }
            }
            return m;
        }, meta -> {
            meta.put(Checkpoints.FORMAT_KEY, "1");
            return meta;
        });
        try (Trainer t = new Trainer(c, new SignTask(false), be, dir, null)) {
            assertEquals(2, t.step());
        }
        rewrite(file, UnaryOperator.identity(), meta -> {
            meta.put(Checkpoints.FORMAT_KEY, "7");
            return meta;
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.read(file));
        assertEquals(file + ": checkpoint format version 7 is not one this version reads (1, 2)", e.getMessage());
    }

    @Test
    void nonFiniteValuesAreRefusedNamingTheTensorAndTheFirstBadIndex() {
        TrainConfig c = TrainerTest.config(2, 4, 1, 0);
        Map.Entry<String, int[]> p = rectangular(c);
        Path dir = trained("nan", c, 2);
        Path file = Checkpoints.list(dir).get(0);
        String name = "model." + p.getKey();
        int cols = p.getValue()[1];
        rewrite(file, m -> {
            double[] d = m.get(name).data();
            d[2 * cols - 1] = Double.NaN;
            d[2 * cols] = Double.POSITIVE_INFINITY;
            replace(m, name, d, m.get(name).shape());
            return m;
        }, UnaryOperator.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.read(file));
        assertEquals(file + ": tensor " + name + " holds NaN at index [1, " + (cols - 1) + "]", e.getMessage());

        Path dir2 = trained("inf", c, 2);
        Path file2 = Checkpoints.list(dir2).get(0);
        String moment = "adam.m." + p.getKey();
        rewrite(file2, m -> {
            double[] d = m.get(moment).data();
            d[0] = Double.NEGATIVE_INFINITY;
            replace(m, moment, d, m.get(moment).shape());
            return m;
        }, UnaryOperator.identity());
        IllegalStateException s = assertThrows(IllegalStateException.class,
            () -> new Trainer(c, new SignTask(false), be, dir2, null));
        assertTrue(s.getMessage().contains(moment + " holds -Infinity at index [0, 0]"), s.getMessage());
    }

    @Test
    void badMetadataNumbersAreOneLineMessages() {
        TrainConfig c = TrainerTest.config(2, 4, 1, 0);
        Path dir = trained("meta", c, 2);
        Path file = Checkpoints.list(dir).get(0);
        Map<String, String> cases = Map.of("step", "two", "optimizer.steps", "-1", "seconds", "NaN");
        for (Map.Entry<String, String> k : cases.entrySet()) {
            SafeTensors.Contents orig = SafeTensors.read(file);
            rewrite(file, UnaryOperator.identity(), meta -> {
                meta.put(k.getKey(), k.getValue());
                return meta;
            });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.read(file));
            assertTrue(e.getMessage().startsWith(file + ": metadata " + k.getKey() + " must be ")
                && e.getMessage().endsWith(", got " + k.getValue()), e.getMessage());
            SafeTensors.write(file, orig.tensors(), orig.metadata());
        }
    }

    @Test
    void anotherConfigurationIsRefusedNamingOnlyTheFieldsThatDiffer() {
        TrainConfig c = TrainerTest.config(2, 4, 1, 0);
        Path dir = trained("config", c, 2);
        ModelConfig wider = ModelConfig.standard(LayerKind.RTF, 2, 16, 4).withDropout(0.1, 0.1)
            .withBlock(ModelConfig.Norm.BATCH, true, ModelConfig.Activation.GELU, true, true);
        TrainConfig other = new TrainConfig(c.task(), Map.of("n", "5"), wider, c.batchSize(), c.accumulate(), c.steps(), 0.02,
            c.weightDecay(), c.ssmLr(), c.ssmWeightDecay(), c.warmup(), c.clip(), c.explode(), c.evalEvery(),
            c.evalExamples(), c.checkpointEvery(), c.seed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Trainer(other, new SignTask(false), be, dir, null));
        assertEquals("run directory " + dir + " holds a checkpoint of another configuration: taskOptions.n (absent)"
            + " (checkpoint) vs 5 (requested), model.channels 8 vs 16, lr 0.01 vs 0.02; use another --run directory,"
            + " or the same settings to resume", e.getMessage());
    }
}
