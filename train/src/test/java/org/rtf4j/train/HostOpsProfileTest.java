package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.nn.HostProfile;
import org.rtf4j.train.nn.ModelConfig;
import org.rtf4j.train.nn.Pooling;

/**
 * {@link Trainer#profileHostOps}: with it on, a short training run records every host op of the model and of the
 * step, once per call, as HOST records beside the backend's kernels, and the records do not overlap; with it
 * off, none.
 */
class HostOpsProfileTest extends WithJvmBackend {
    private static final int UPDATES = 3;

    @BeforeEach
    void clean() {
        be.profiler().reset();
        be.setProfiling(true);
    }

    @AfterEach
    void restore() {
        be.setProfiling(false);
        be.profiler().reset();
    }

    private static TrainConfig config(String task, ModelConfig m) {
        return new TrainConfig(task, Map.of(), m, 4, 1, 100, 0.01, 0.01, 0.005, 0.0, 5, 1.0, 0.0, 0, 16, 0, 3);
    }

    /** Pre-norm LayerNorm, GELU, both dropouts, GLU, residual, mean pooling: the LRA block of the study runs. */
    @Test
    void recordsEveryOpOfAPreNormModelOncePerCall() {
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 2, 4, 4).withDropout(0.1, 0.1);
        Map<String, Long> host;
        long wall;
        try (Trainer t = new Trainer(config("sign", m), new SignTask(true), be, be.executor(), null, null)) {
            t.profileHostOps(true);
            long t0 = System.nanoTime();
            for (int i = 0; i < UPDATES; i++) {
                t.update();
            }
            wall = System.nanoTime() - t0;
            assertEquals(UPDATES, t.step());
        }
        host = hostCounts(be.profiler());
        int u = UPDATES;
        int blocks = 2;
        Map<String, Long> expected = new TreeMap<>();
        put(expected, u, "batch", "zero_grad", "loss", "clip", "adamw", "encoder.forward", "encoder.backward",
            "pooling.forward", "pooling.backward", "decoder.forward", "decoder.backward");
        put(expected, 2 * u, "finite_checks");
        // two blocks and the final norm
        put(expected, (blocks + 1) * u, "layernorm.forward", "layernorm.backward");
        put(expected, blocks * u, "mask.forward", "mask.backward", "ssm.forward.other", "ssm.backward.other",
            "gelu.forward", "gelu.backward", "dropout.forward", "dropout.backward", "output_linear.forward",
            "output_linear.backward", "glu.forward", "glu.backward", "residual_dropout.forward",
            "residual_dropout.backward", "residual.forward", "residual.backward");
        assertEquals(expected, host);
        // the SSM layers' kernels are in the same table, and host and kernel records partition the step: their
        // sum cannot exceed the wall time of the updates unless a host timer enclosed a kernel
        long kernels = 0;
        long all = 0;
        for (Profiler.Entry e : be.profiler().summary()) {
            all += e.totalNanos();
            if (e.kind().equals("KERNEL")) {
                kernels += e.count();
            }
        }
        assertTrue(kernels > 0 && be.profiler().table().contains("fftConv"), be.profiler().table());
        assertTrue(all <= wall, "recorded " + all + " ns in " + wall + " ns of updates:\n" + be.profiler().table());
        assertTrue(be.profiler().table().contains("HOST            adamw "), be.profiler().table());
    }

    /** Post-norm BatchNorm, no dropout, per-position outputs of variable lengths (the model masks the gradient). */
    @Test
    void namesBatchNormAndTheModelsMaskAndLeavesOutWhatIsNotThere() {
        ModelConfig m = ModelConfig.standard(LayerKind.S4D, 1, 4, 4).withPooling(Pooling.NONE)
            .withBlock(ModelConfig.Norm.BATCH, false, ModelConfig.Activation.NONE, false, true);
        try (Trainer t = new Trainer(config("tags", m), new TagTask(), be, be.executor(), null, null)) {
            t.profileHostOps(true);
            for (int i = 0; i < UPDATES; i++) {
                t.update();
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        int u = UPDATES;
        put(expected, u, "batch", "zero_grad", "loss", "clip", "adamw", "encoder.forward", "encoder.backward",
            "decoder.forward", "decoder.backward", "batchnorm.forward", "batchnorm.backward", "mask.forward",
            "ssm.forward.other", "ssm.backward.other", "residual.forward", "residual.backward");
        put(expected, 2 * u, "finite_checks", "mask.backward");
        assertEquals(expected, hostCounts(be.profiler()));
    }

    @Test
    void recordsNoHostOpWhenOff() {
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 1, 4, 4).withDropout(0.1, 0.0);
        try (Trainer t = new Trainer(config("sign", m), new SignTask(true), be, be.executor(), null, null)) {
            HostProfile p = t.model().hostProfile();
            assertFalse(p.on());
            assertEquals(0L, p.start(), "no clock read when off");
            t.update();
            t.profileHostOps(true);
            t.profileHostOps(false);
            t.update();
            t.run(3);
        }
        assertEquals(Map.of(), hostCounts(be.profiler()));
        // the backend's kernels were profiled meanwhile
        assertTrue(be.profiler().kernelLaunches() > 0);
    }

    private static void put(Map<String, Long> m, long count, String... names) {
        for (String n : names) {
            m.put(n, count);
        }
    }

    private static Map<String, Long> hostCounts(Profiler p) {
        Map<String, Long> out = new TreeMap<>();
        for (Profiler.Entry e : p.summary()) {
            if (e.kind().equals(HostProfile.KIND)) {
                assertTrue(e.count() > 0 && e.totalNanos() >= 0, e.toString());
                out.put(e.name(), e.count());
            }
        }
        return out;
    }

    /** Per-position classes of token sequences of lengths 3…8: is the token odd? */
    private static final class TagTask implements Dataset {
        @Override
        public TaskSpec spec() {
            return new TaskSpec("tags", 5, 0, 2, TaskSpec.Target.TOKEN_CLASS, 8);
        }

        @Override
        public int size(Split split) {
            return 32;
        }

        @Override
        public boolean generatesFreshTrainingExamples() {
            return true;
        }

        @Override
        public Example get(Split split, long index) {
            SplittableRandom r = new SplittableRandom(index);
            int len = 3 + r.nextInt(6);
            int[] tokens = new int[len];
            int[] tags = new int[len];
            for (int i = 0; i < len; i++) {
                tokens[i] = 1 + r.nextInt(4);
                tags[i] = tokens[i] % 2;
            }
            return new Example(len, tokens, null, -1, Arrays.copyOf(tags, len), null);
        }
    }
}
