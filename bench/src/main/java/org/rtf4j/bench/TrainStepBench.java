package org.rtf4j.bench;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.DeviceProfile;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.train.TrainConfig;
import org.rtf4j.train.Trainer;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.ImdbTask;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.nn.ModelConfig;
import org.rtf4j.train.nn.Pooling;

/**
 * One training update of the study's models (issue 15, acceptance item 4), on generated inputs of the real
 * shapes, so that nothing is downloaded.
 *
 * <p><b>What is timed:</b> {@link Trainer#update()}, i.e. exactly the update {@code ./rtf4j train} makes:
 * building the padded batch from its examples, the forward pass (encoder, blocks with their SSM layers on the
 * backend, final norm, pooling, decoder), the loss and its gradient, the backward pass, the finiteness checks,
 * global clipping and AdamW with the cosine schedule. Not timed: the data (the examples are generated once,
 * in the trial's set-up, and handed out again and again), evaluations, metrics and checkpoints. The trainer
 * is made once per trial, so its parameters move on from update to update as in a run (their values do not
 * change the arithmetic).
 *
 * <p><b>Shapes</b> ({@code model}), as {@code results/<run>/command.txt} sets them, with the command line's
 * defaults elsewhere (LayerNorm before the SSM layer and a final one, GELU, Linear(H→2H) + GLU, residual, mean
 * pooling, clip 1, warm-up 5% of the steps, seed 1):
 * <ul>
 *   <li>{@code smnist} ({@code results/smnist-rtf}): RTF with {@code l1_montel}, 4 blocks, H = 64, N = 64,
 *   batch 32 × length 784, one real input channel (about 80% zeros, the rest in (0, 1], as MNIST pixels),
 *   10 classes; lr 4e-3, weight decay 0.01, SSM lr 1e-3, dropout 0.1, 8000 steps. The run used
 *   {@code --precision F64}; issue 15 wants float32.</li>
 *   <li>{@code imdb} ({@code results/imdb-rtf}): RTF with {@code l1_montel}, bidirectional, 2 blocks, H = 64,
 *   N = 4, batch 16 × length 1024, byte tokens (vocabulary 257), 2 classes; lr 2e-3 (also the SSM's), weight
 *   decay 0.05, no dropout, 2000 steps. The run used float32. Reviews are truncated to 1024 bytes and about
 *   half of them are that long: the first example of every batch is full, the others full with probability
 *   1/2 and otherwise of a uniform length in [128, 1024), so that the batch is masked as a real one.</li>
 * </ul>
 * {@code precision} is the whole model's (every op runs on the backend, see the README's Training section).
 * {@code backend}: {@code jvm} with {@code threads} workers (as {@code ./rtf4j train --threads} makes it), or
 * {@code opencl} (a GPU first, or {@code -Drtf4j.opencl.device}; {@code -Drtf4j.opencl.profile} emulates a
 * device profile; {@code threads} is then unused).
 *
 * <p><b>Run</b> (after {@code mvn -B -pl bench -am package -DskipTests}; an sMNIST update takes one to a few
 * seconds, so a 10 s iteration is a few updates, a fork about 1.5 minutes, the default 3 forks × 4 cases
 * about 20 minutes):
 * <pre>
 * java -jar bench/target/benchmarks.jar TrainStepBench                        # both shapes, F32 and F64
 * java -jar bench/target/benchmarks.jar TrainStepBench -p model=smnist -p precision=F32
 * java -jar bench/target/benchmarks.jar TrainStepBench -p precision=F32 -f 1  # a first look
 * </pre>
 * Per-op profile of the same update (the trainer's host ops beside the backend's kernels, as
 * {@code ./rtf4j train --profile} prints it; no JMH, a few warm-up updates first, then the profiled ones):
 * <pre>
 * java -cp bench/target/benchmarks.jar org.rtf4j.bench.TrainStepBench smnist F32 2 5 10   # model precision threads warm-up profiled
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 3, jvmArgsAppend = {"-DuniqueLibraryNames=true"})
public class TrainStepBench {
    @Param({"smnist", "imdb"})
    public String model;

    @Param({"F32", "F64"})
    public String precision;

    @Param({"jvm"})
    public String backend;

    @Param({"2"})
    public int threads;

    private Run run;

    @Setup(Level.Trial)
    public void setUp() {
        run = Run.open(model, Precision.valueOf(precision), backend, threads);
        // one update outside the measured region: the shapes are valid and the loss is finite
        double loss = run.trainer.update();
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(model + ": the first update's loss is " + loss);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
    }

    /** One update (see the class comment); returns its training loss. */
    @Benchmark
    public double update() {
        return run.trainer.update();
    }

    /**
     * The per-op profile of the update: {@code model precision threads warmup profiled} (defaults
     * {@code smnist F32 2 3 5}); runs {@code warmup} updates, then {@code profiled} updates with the backend's
     * kernel timing and the trainer's host-op timing on, and prints the profile table and the mean wall time
     * of a profiled update. On the JVM backend.
     */
    public static void main(String[] args) {
        String m = args.length > 0 ? args[0] : "smnist";
        Precision p = Precision.valueOf(args.length > 1 ? args[1] : "F32");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int profiled = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        if (warmup < 0 || profiled < 1) {
            throw new IllegalArgumentException("warm-up updates must be ≥ 0 and profiled updates ≥ 1, got " + warmup
                + " and " + profiled);
        }
        try (Run r = Run.open(m, p, "jvm", threads)) {
            for (int i = 0; i < warmup; i++) {
                r.trainer.update();
            }
            JvmBackend jvm = (JvmBackend) r.backend;
            jvm.profiler().reset();
            jvm.setProfiling(true);
            r.trainer.profileHostOps(true);
            long t0 = System.nanoTime();
            for (int i = 0; i < profiled; i++) {
                r.trainer.update();
            }
            double secs = (System.nanoTime() - t0) * 1e-9;
            System.out.printf(Locale.ROOT, "%s, model in %s, %s: %d profiled updates after %d, %.3f s per update%n",
                m, p, jvm.deviceDescription(), profiled, warmup, secs / profiled);
            System.out.print(jvm.profiler().table());
        }
    }

    /** A trainer of one of the shapes on its generated data, with the backend it runs on. */
    static final class Run implements AutoCloseable {
        final Backend backend;
        final Trainer trainer;

        private Run(Backend backend, Trainer trainer) {
            this.backend = backend;
            this.trainer = trainer;
        }

        static Run open(String model, Precision precision, String backendName, int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            TrainConfig config;
            Dataset data;
            switch (model) {
                case "smnist":
                    config = smnist(precision);
                    data = new Generated(new TaskSpec("smnist", 0, 1, 10, TaskSpec.Target.SEQUENCE_CLASS, 784),
                        config.batchSize(), false);
                    break;
                case "imdb":
                    config = imdb(precision);
                    data = new Generated(new TaskSpec("imdb", ImdbTask.VOCABULARY, 0, 2, TaskSpec.Target.SEQUENCE_CLASS,
                        1024), config.batchSize(), true);
                    break;
                default:
                    throw new IllegalArgumentException("model must be smnist or imdb, got " + model);
            }
            Backend be;
            switch (backendName) {
                case "jvm":
                    be = JvmBackend.withThreads(threads);
                    break;
                case "opencl":
                    be = OpenClBackend.create(System.getProperty("rtf4j.opencl.platform"),
                        System.getProperty("rtf4j.opencl.device"), System.getProperty("rtf4j.opencl.options", ""),
                        DeviceProfile.named(System.getProperty("rtf4j.opencl.profile")));
                    break;
                default:
                    throw new IllegalArgumentException("backend must be jvm or opencl, got " + backendName);
            }
            try {
                return new Run(be, new Trainer(config, data, be, null, null));
            } catch (RuntimeException e) {
                be.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                trainer.close();
            } finally {
                backend.close();
            }
        }
    }

    /** results/smnist-rtf/command.txt in {@code precision}. */
    static TrainConfig smnist(Precision precision) {
        ModelConfig m = new ModelConfig(LayerKind.RTF, 4, 64, 64, false, ModelConfig.Norm.LAYER, true,
            ModelConfig.Activation.GELU, true, true, 0.1, 0.0, Pooling.MEAN, precision, RtfConfig.Constraint.L1_MONTEL);
        long steps = 8000;
        return new TrainConfig("smnist", Map.of(), m, 32, 1, steps, 4e-3, 0.01, 1e-3, 0.0, steps / 20, 1.0, 1e6, 1000,
            2000, 100, 1);
    }

    /** results/imdb-rtf/command.txt in {@code precision}. */
    static TrainConfig imdb(Precision precision) {
        ModelConfig m = new ModelConfig(LayerKind.RTF, 2, 64, 4, true, ModelConfig.Norm.LAYER, true,
            ModelConfig.Activation.GELU, true, true, 0.0, 0.0, Pooling.MEAN, precision, RtfConfig.Constraint.L1_MONTEL);
        long steps = 2000;
        return new TrainConfig("imdb", Map.of("max-length", "1024"), m, 16, 1, steps, 2e-3, 0.05, 2e-3, 0.0, steps / 20,
            1.0, 1e6, 500, 2000, 500, 1);
    }

    /**
     * Generated examples of a task's shape: four batches' worth, made once and handed out in turn (any training
     * index), so the update never waits for data. Real inputs look like MNIST pixels; token inputs are byte
     * tokens 1…256 of the lengths the class comment states.
     */
    static final class Generated implements Dataset {
        private final TaskSpec spec;
        private final Example[] pool;

        Generated(TaskSpec spec, int batch, boolean variableLengths) {
            this.spec = spec;
            this.pool = new Example[4 * batch];
            SplittableRandom r = new SplittableRandom(11);
            int len = spec.maxLength();
            for (int i = 0; i < pool.length; i++) {
                int label = r.nextInt(spec.outputs());
                if (spec.tokens()) {
                    int n = !variableLengths || i % batch == 0 || r.nextBoolean() ? len : 128 + r.nextInt(len - 128);
                    int[] tokens = new int[n];
                    for (int t = 0; t < n; t++) {
                        tokens[t] = 1 + r.nextInt(spec.vocabulary() - 1);
                    }
                    pool[i] = Example.tokens(tokens, label);
                } else {
                    float[] f = new float[spec.inputChannels() * len];
                    for (int t = 0; t < f.length; t++) {
                        f[t] = r.nextDouble() < 0.8 ? 0f : (float) (1.0 - r.nextDouble());
                    }
                    pool[i] = Example.features(f, spec.inputChannels(), label);
                }
            }
        }

        @Override
        public TaskSpec spec() {
            return spec;
        }

        @Override
        public int size(Split split) {
            return pool.length;
        }

        @Override
        public boolean generatesFreshTrainingExamples() {
            return true;
        }

        @Override
        public Example get(Split split, long index) {
            if (index < 0) {
                throw new IndexOutOfBoundsException("index must be ≥ 0, got " + index);
            }
            return pool[(int) (index % pool.length)];
        }
    }
}
