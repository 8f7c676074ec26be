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
 * {@link Trainer#profileHostOps}: with it on, a short training run records the step's host work once per call
 * as HOST records (the batch, zeroing, the loss scalars' read, the finiteness checks, the optimiser's call, the
 * SSM layers' host remainder) beside the backend's kernel records, which are every op of the model: their
 * counts per update are those of the model's structure, and the records do not overlap; with it off, none.
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
        long wall;
        int weights;
        try (Trainer t = new Trainer(config("sign", m), new SignTask(true), be, null, null)) {
            weights = t.model().weights().size();
            t.profileHostOps(true);
            long t0 = System.nanoTime();
            for (int i = 0; i < UPDATES; i++) {
                t.update();
            }
            wall = System.nanoTime() - t0;
            assertEquals(UPDATES, t.step());
        }
        int u = UPDATES;
        int blocks = 2;
        Map<String, Long> host = new TreeMap<>();
        put(host, u, "batch", "zero_grad", "loss", "adamw");
        put(host, 2 * u, "finite_checks");
        put(host, blocks * u, "ssm.forward.other", "ssm.backward.other");
        assertEquals(host, counts(be.profiler(), HostProfile.KIND));
        Map<String, Long> kernels = counts(be.profiler(), "KERNEL");
        Map<String, Long> expected = new TreeMap<>();
        // two blocks and the final norm
        put(expected, (blocks + 1) * u, "layerNorm", "layerNormBackward");
        // per block: the layer dropout and the residual one
        put(expected, 2 * blocks * u, "dropout", "dropoutBackward");
        put(expected, blocks * u, "gelu", "geluBackward", "glu", "gluBackward", "fftConv", "fftConvBackward");
        // padding masked on the SSM input (in place on the norm's output) and on its input gradient
        put(expected, 2 * blocks * u, "maskPadding", "axpy");
        // encoder, two output linears, decoder: a product forward, two backward
        put(expected, 4 * u, "biasAdd", "biasGrad");
        put(expected, 3 * 4 * u, "gemm");
        put(expected, u, "pool", "poolBackward", "crossEntropy");
        put(expected, (long) weights * u, "sumSquares", "adamW");
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), kernels.get(e.getKey()), "kernel " + e.getKey() + "\n" + be.profiler().table());
        }
        // host and kernel records partition the step: their sum cannot exceed the wall time of the updates unless
        // a host timer enclosed a kernel
        long all = 0;
        for (Profiler.Entry e : be.profiler().summary()) {
            all += e.totalNanos();
        }
        assertTrue(all <= wall, "recorded " + all + " ns in " + wall + " ns of updates:\n" + be.profiler().table());
        assertTrue(be.profiler().table().contains("HOST            adamw "), be.profiler().table());
    }

    /** Post-norm BatchNorm, no dropout, per-position outputs of variable lengths (the model masks the gradient). */
    @Test
    void namesBatchNormAndTheModelsMaskAndLeavesOutWhatIsNotThere() {
        ModelConfig m = ModelConfig.standard(LayerKind.S4D, 1, 4, 4).withPooling(Pooling.NONE)
            .withBlock(ModelConfig.Norm.BATCH, false, ModelConfig.Activation.NONE, false, true);
        try (Trainer t = new Trainer(config("tags", m), new TagTask(), be, null, null)) {
            t.profileHostOps(true);
            for (int i = 0; i < UPDATES; i++) {
                t.update();
            }
        }
        int u = UPDATES;
        Map<String, Long> host = new TreeMap<>();
        put(host, u, "batch", "zero_grad", "loss", "adamw", "ssm.forward.other", "ssm.backward.other");
        put(host, 2 * u, "finite_checks");
        assertEquals(host, counts(be.profiler(), HostProfile.KIND));
        Map<String, Long> kernels = counts(be.profiler(), "KERNEL");
        // the SSM input (a copy of the block input, masked), its gradient and the model's output gradient
        assertEquals(3L * u, kernels.get("maskPadding"), be.profiler().table());
        assertEquals((long) u, kernels.get("batchNorm"));
        assertEquals((long) u, kernels.get("batchNormBackward"));
        for (String absent : new String[] {"layerNorm", "gelu", "glu", "dropout", "pool"}) {
            assertFalse(kernels.containsKey(absent), absent + "\n" + be.profiler().table());
        }
    }

    @Test
    void recordsNoHostOpWhenOff() {
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 1, 4, 4).withDropout(0.1, 0.0);
        try (Trainer t = new Trainer(config("sign", m), new SignTask(true), be, null, null)) {
            HostProfile p = t.model().hostProfile();
            assertFalse(p.on());
            assertEquals(0L, p.start(), "no clock read when off");
            t.update();
            t.profileHostOps(true);
            t.profileHostOps(false);
            t.update();
            t.run(3);
        }
        assertEquals(Map.of(), counts(be.profiler(), HostProfile.KIND));
        // the backend's kernels were profiled meanwhile
        assertTrue(be.profiler().kernelLaunches() > 0);
    }

    private static void put(Map<String, Long> m, long count, String... names) {
        for (String n : names) {
            m.put(n, count);
        }
    }

    /** Record counts of one kind by name. */
    private static Map<String, Long> counts(Profiler p, String kind) {
        Map<String, Long> out = new TreeMap<>();
        for (Profiler.Entry e : p.summary()) {
            if (e.kind().equals(kind)) {
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
