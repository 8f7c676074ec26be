package org.rtf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.rtf4j.formats.IoMessages;
import org.rtf4j.formats.OutputFiles;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.train.Checkpoints;
import org.rtf4j.train.Evaluation;
import org.rtf4j.train.TrainConfig;
import org.rtf4j.train.Trainer;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.data.Tasks;
import org.rtf4j.train.nn.ModelConfig;
import org.rtf4j.train.nn.Pooling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a model on a task, printing the learning curve; resumes from the run directory's newest
 * checkpoint when it holds one of the same configuration. With no options it is the embedded default: a
 * small Copying task (generated, no download) learnt by a 2-block RTF model in a few minutes on 2 cores.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model (rtf, s4d or s4 blocks) on a task; resumable from the run directory's checkpoints.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions taskOptions = new TaskOptions();

    @Option(names = "--model", description = "SSM layer kind: rtf, s4d or s4 (default: ${DEFAULT-VALUE}).")
    String model = "rtf";

    @Option(names = "--layers", description = "Blocks (default: ${DEFAULT-VALUE}).")
    int layers = 2;

    @Option(names = "--channels", description = "Model width H (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    @Option(names = "--state", description = "State size N (default: ${DEFAULT-VALUE}).")
    int state = 48;

    @Option(names = "--bidirectional", description = "Two-sided SSM layers.")
    boolean bidirectional;

    @Option(names = "--norm", description = "Block norm: layer, batch or none (default: ${DEFAULT-VALUE}).")
    ModelConfig.Norm norm = ModelConfig.Norm.LAYER;

    @Option(names = "--postnorm", description = "Norm after the residual instead of before the SSM layer.")
    boolean postnorm;

    @Option(names = "--activation", description = "After the SSM layer: gelu or none (default: ${DEFAULT-VALUE}).")
    ModelConfig.Activation activation = ModelConfig.Activation.GELU;

    @Option(names = "--no-glu", description = "No Linear(H→2H)+GLU output projection.")
    boolean noGlu;

    @Option(names = "--no-residual", description = "No residual connection.")
    boolean noResidual;

    @Option(names = "--linear", description = "The Delay paper model: no norm, activation, projection or residual.")
    boolean linear;

    @Option(names = "--dropout", description = "Layer dropout (default: ${DEFAULT-VALUE}).")
    double dropout = 0.0;

    @Option(names = "--residual-dropout", description = "Residual dropout, tied over length (default: ${DEFAULT-VALUE}).")
    double residualDropout = 0.0;

    @Option(names = "--pooling", description = "mean or last for sequence classification (default: mean; per-position tasks: none).")
    Pooling pooling;

    @Option(names = "--constraint", description = "RTF denominators: none or l1_montel (stable by construction) (default: ${DEFAULT-VALUE}).")
    RtfConfig.Constraint constraint = RtfConfig.Constraint.NONE;

    @Option(names = "--precision", description = "Precision of the whole model on its backend (weights, moments, "
        + "activations, gradients): F32, or F64 to validate (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.F32;

    @Option(names = "--batch", description = "Examples per micro-batch (default: ${DEFAULT-VALUE}).")
    int batch = 16;

    @Option(names = "--accumulate", description = "Micro-batches per update (default: ${DEFAULT-VALUE}).")
    int accumulate = 1;

    @Option(names = "--steps", description = "Updates (default: ${DEFAULT-VALUE}).")
    long steps = 300;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 3e-3;

    @Option(names = "--weight-decay", description = "Decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = 0.0;

    @Option(names = "--ssm-lr", description = "Learning rate of the SSM parameters (default: --lr).")
    Double ssmLr;

    @Option(names = "--ssm-weight-decay", description = "Weight decay of the SSM parameters (default: ${DEFAULT-VALUE}).")
    double ssmWeightDecay = 0.0;

    @Option(names = "--warmup", description = "Linear warm-up updates (default: 5%% of --steps).")
    Long warmup;

    @Option(names = "--clip", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clip = 1.0;

    @Option(names = "--explode", description = "Stop when the gradient norm exceeds this, 0 = off (default: ${DEFAULT-VALUE}).")
    double explode = 1e6;

    @Option(names = "--eval-every", description = "Updates between test evaluations (default: --steps/10).")
    Long evalEvery;

    @Option(names = "--eval-examples", description = "Evenly spaced test examples per evaluation, 0 = all (default: ${DEFAULT-VALUE}).")
    int evalExamples = 256;

    @Option(names = "--checkpoint-every", description = "Updates between checkpoints (default: --eval-every).")
    Long checkpointEvery;

    @Option(names = "--run", description = "Run directory: checkpoints and metrics (default: runs/<task>-<model>-s<seed>).")
    Path run;

    @Option(names = "--log-every", description = "Updates between training rows of the metrics files (default: ${DEFAULT-VALUE}).")
    long logEvery = 1;

    @Option(names = "--fresh", description = "Delete the run directory's checkpoints and metrics first instead of resuming.")
    boolean fresh;

    @Option(names = "--progress", negatable = true, description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--list-tasks", description = "Print the tasks and their options (-o NAME=VALUE) and exit.")
    boolean listTasks;

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (listTasks) {
            out.print(org.rtf4j.train.data.Tasks.help());
            out.flush();
            return 0;
        }
        checkOptions();
        LayerKind kind = TaskOptions.kind(model);
        Dataset data = taskOptions.open();
        TaskSpec task = data.spec();
        Pooling pool = pooling != null ? pooling
            : task.target() == TaskSpec.Target.SEQUENCE_CLASS ? Pooling.MEAN : Pooling.NONE;
        ModelConfig mc = new ModelConfig(kind, layers, channels, state, bidirectional, norm, !postnorm, activation, !noGlu,
            !noResidual, dropout, residualDropout, pool, precision, constraint);
        if (linear) {
            mc = mc.linear();
        }
        long every = evalEvery != null ? evalEvery : Math.max(1, steps / 10);
        TrainConfig config = new TrainConfig(task.name(), taskOptions.options(), mc, batch, accumulate, steps, lr,
            weightDecay, ssmLr != null ? ssmLr : lr, ssmWeightDecay, warmup != null ? warmup : steps / 20, clip, explode,
            every, evalExamples, checkpointEvery != null ? checkpointEvery : every, taskOptions.seed);
        Path dir = run != null ? run : Path.of("runs", task.name() + "-" + kind.id() + "-s" + taskOptions.seed);
        OutputFiles.checkDirectory("--run", dir);
        // before --fresh deletes anything and before the backend, the model or any example exists: refuse
        // what cannot fit
        Trainer.requireMemory(config, task, backendOptions.heapBuffers(), backendOptions.workers(),
            backendOptions.convolutionFftLength(task.maxLength()));
        if (fresh) {
            clean(dir);
        }
        boolean bar = Progress.wanted(progress);
        try (Backend backend = backendOptions.create();
             Trainer trainer = trainer(config, data, backend, dir, new Curve(out, bar, config))) {
            trainer.logEvery(logEvery);
            // --profile: the step's host work beside the backend's kernels (every op of the model), in one table
            trainer.profileHostOps(backendOptions.profiling());
            if (trainer.step() >= steps) {
                out.println("run " + dir + " is complete (step " + trainer.step() + "); use --fresh to train again");
            }
            Evaluation e = trainer.run(Long.MAX_VALUE);
            if (e != null) {
                out.println("final " + describe(e) + "; metrics and checkpoints in " + dir);
            }
            out.flush();
            backendOptions.report(backend, out);
        }
        return 0;
    }

    /** A trainer of the run directory; when its checkpoints are all unreadable, the refusal says what --fresh does. */
    private static Trainer trainer(TrainConfig config, Dataset data, Backend backend, Path dir, Trainer.Listener listener) {
        try {
            return new Trainer(config, data, backend, dir, listener);
        } catch (Checkpoints.UnreadableException e) {
            throw new IllegalStateException(e.getMessage() + "; nothing was changed: --fresh starts over (deleting them)",
                e);
        }
    }

    /** Every numeric option in range, each refusal naming its option; before any work. */
    private void checkOptions() {
        Checks.atLeast("--layers", layers, 1);
        Checks.atLeast("--channels", channels, 1);
        Checks.atLeast("--state", state, 1);
        Checks.atLeast("--batch", batch, 1);
        Checks.atLeast("--accumulate", accumulate, 1);
        Checks.atLeast("--steps", steps, 1);
        if (warmup != null) {
            Checks.inRange("--warmup", warmup, 0, steps - 1);
        }
        Checks.atLeast("--eval-every", evalEvery, 0);
        Checks.atLeast("--eval-examples", evalExamples, 0);
        Checks.atLeast("--checkpoint-every", checkpointEvery, 0);
        Checks.atLeast("--log-every", logEvery, 1);
        Checks.positive("--lr", lr);
        if (ssmLr != null) {
            Checks.positive("--ssm-lr", ssmLr);
        }
        Checks.atLeast("--weight-decay", weightDecay, 0.0);
        Checks.atLeast("--ssm-weight-decay", ssmWeightDecay, 0.0);
        Checks.atLeast("--clip", clip, 0.0);
        Checks.atLeast("--explode", explode, 0.0);
        Checks.inHalfOpen("--dropout", dropout, 0, 1);
        Checks.inHalfOpen("--residual-dropout", residualDropout, 0, 1);
        Checks.threads(backendOptions.threads);
    }

    static String describe(Evaluation e) {
        String score = Double.isNaN(e.accuracy()) ? String.format(Locale.ROOT, "rmse %.5f", e.rmse())
            : String.format(Locale.ROOT, "accuracy %.2f%%", 100 * e.accuracy());
        return String.format(Locale.ROOT, "%s loss %.5f, %s (%d examples)", e.split().label(), e.loss(), score,
            e.examples());
    }

    /** Deletes the checkpoints and metrics files of a run directory (--fresh); other files are left alone. */
    private static void clean(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> doomed = new ArrayList<>(Checkpoints.list(dir));
        doomed.add(dir.resolve("metrics.csv"));
        doomed.add(dir.resolve("metrics.jsonl"));
        for (Path p : doomed) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw IoMessages.cannot("delete", p, e);
            }
        }
    }

    /** Prints the learning curve (one line per evaluation) and drives the progress bar. */
    private static final class Curve implements Trainer.Listener {
        private final PrintWriter out;
        private final boolean bar;
        private final TrainConfig config;
        private ProgressBar pb;
        private double lossSum;
        private int lossCount;
        private long t0;

        Curve(PrintWriter out, boolean bar, TrainConfig config) {
            this.out = out;
            this.bar = bar;
            this.config = config;
        }

        @Override
        public void started(long fromStep, long steps, long parameters) {
            t0 = System.nanoTime();
            ModelConfig m = config.model();
            out.printf(Locale.ROOT, "task %s %s | %s x%d H=%d N=%d%s | %,d parameters | batch %d x %d | %d steps from %d%n",
                config.task(), config.taskOptions(), m.kind().id(), m.layers(), m.channels(), m.stateSize(),
                m.bidirectional() ? " bidirectional" : "", parameters, config.batchSize(), config.accumulate(), steps,
                fromStep);
            out.printf("%8s %12s %12s %12s %9s%n", "step", "train_loss", "test_loss", "test_score", "seconds");
            out.flush();
            if (bar) {
                pb = Progress.bar("train", steps, fromStep);
            }
        }

        @Override
        public void step(long step, double loss, double accuracy, double lr) {
            lossSum += loss;
            lossCount++;
            if (pb != null) {
                pb.stepTo(step);
                pb.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
                if (step == config.steps()) {
                    pb.close();
                }
            }
        }

        @Override
        public void evaluated(long step, Evaluation e) {
            String score = Double.isNaN(e.accuracy()) ? String.format(Locale.ROOT, "rmse %.4f", e.rmse())
                : String.format(Locale.ROOT, "acc %.2f%%", 100 * e.accuracy());
            out.printf(Locale.ROOT, "%8d %12.5f %12.5f %12s %9.1f%n", step, lossSum / Math.max(1, lossCount), e.loss(),
                score, (System.nanoTime() - t0) * 1e-9);
            out.flush();
            lossSum = 0;
            lossCount = 0;
        }

        @Override
        public void log(String message) {
            out.println(message);
            out.flush();
        }
    }
}
