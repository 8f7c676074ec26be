package org.rtf4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Parameter;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.train.nn.HostProfile;
import org.rtf4j.train.nn.SequenceModel;
import org.rtf4j.train.nn.Weight;
import org.rtf4j.train.optim.AdamW;
import org.rtf4j.train.optim.CosineSchedule;
import org.rtf4j.train.optim.FiniteValues;
import org.rtf4j.train.optim.TrainingDivergedException;

/**
 * The training loop: micro-batches with gradient accumulation, finiteness and explosion checks, global
 * clipping, AdamW with a cosine schedule, periodic evaluation, metrics and checkpoints. Everything random is
 * a function of (seed, step), so a run resumed from a checkpoint continues the same loss curve bit for bit
 * (same backend, thread count and JDK).
 */
public final class Trainer implements AutoCloseable {

    /** Receives progress; every method has a no-op default. */
    public interface Listener {
        default void started(long fromStep, long steps, long parameters) {
        }

        default void step(long step, double loss, double accuracy, double lr) {
        }

        default void evaluated(long step, Evaluation e) {
        }

        default void log(String message) {
        }
    }

    private final TrainConfig config;
    private final Dataset data;
    private final SequenceModel model;
    private final AdamW opt;
    private final CosineSchedule schedule;
    private final Path runDir;
    private final Listener listener;
    private final Backend backend;
    /** The loss scalars of the micro-batches of a step, and the squared gradient norms (weights, then the SSM group). */
    private final DeviceBuffer stepScalars;
    private final DeviceBuffer stepPartials;
    /** Their host copies (read once per step) and the weights' names in slot order, made once. */
    private final double[] hostScalars;
    private final double[] hostPartials;
    private final List<String> weightNames;
    private long step;
    private double secondsBefore;
    private long logEvery = 1;
    private long[] permutation;
    private long permutationEpoch = -1;

    /**
     * A trainer of a fresh model, or resumed from the newest readable checkpoint in {@code runDir} when there is
     * one. Nothing in {@code runDir} is written or deleted here, so a refusal leaves the directory as it was. The
     * model runs on {@code backend} (see {@link SequenceModel}); the caller owns it and closes it after the
     * trainer.
     *
     * @throws Checkpoints.UnreadableException when {@code runDir} holds checkpoint files and none is readable
     * @throws IllegalArgumentException        when the checkpoint is of another configuration (naming the fields
     *                                         that differ) or its tensors do not fit the model
     */
    public Trainer(TrainConfig config, Dataset data, Backend backend, Path runDir, Listener listener) {
        this.config = config;
        this.data = data;
        this.backend = backend;
        this.runDir = runDir;
        this.listener = listener == null ? new Listener() { } : listener;
        if (!config.task().equals(data.spec().name())) {
            throw new IllegalArgumentException("config task " + config.task() + " but dataset " + data.spec().name());
        }
        requireMemory(config, data.spec(), backend.buffersOnHeap(), backend.hostWorkers(),
            backend.convolutionFftLength(data.spec().maxLength()));
        Optional<Checkpoints.Loaded> ck = runDir == null ? Optional.empty()
            : Checkpoints.latest(runDir, this.listener::log);
        if (ck.isPresent() && !ck.get().config().equals(config)) {
            throw new IllegalArgumentException("run directory " + runDir + " holds a checkpoint of another configuration: "
                + Checkpoints.differences(ck.get().config(), config)
                + "; use another --run directory, or the same settings to resume");
        }
        SequenceModel m = new SequenceModel(config.model(), data.spec(), backend, config.seed());
        try {
            this.opt = new AdamW(backend, m.weights(), m.ssmParameters(), AdamW.Settings.of(config.lr(), config.weightDecay(), config.ssmLr(),
                config.ssmWeightDecay()));
            this.schedule = new CosineSchedule(config.warmup(), config.steps());
            if (ck.isPresent()) {
                Checkpoints.restore(ck.get(), m, opt);
                step = ck.get().step();
                secondsBefore = ck.get().seconds();
                this.listener.log("resumed from " + ck.get().file() + " at step " + step);
            }
            this.stepScalars = backend.allocate(config.model().precision(), LossShape.SCALARS * config.accumulate());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        try {
            this.stepPartials = backend.allocate(config.model().precision(), m.weights().size() + 1);
        } catch (RuntimeException e) {
            stepScalars.close();
            m.close();
            throw e;
        }
        this.model = m;
        this.hostScalars = new double[LossShape.SCALARS * config.accumulate()];
        this.hostPartials = new double[m.weights().size() + 1];
        this.weightNames = List.copyOf(m.weights().keySet());
    }

    /**
     * Estimated heap bytes of a training run: the model with its passes over a micro-batch
     * ({@link SequenceModel#bytesNeeded}), AdamW's two moments (16 bytes a parameter, bounded by the model's
     * parameter bytes) and a checkpoint's copies of values and moments while it is written (twice that again).
     * {@code heapBuffers}: the backend's buffers are heap arrays (the JVM backend, {@code workers} threads).
     * Saturates instead of overflowing.
     */
    public static long bytesNeeded(TrainConfig config, TaskSpec task, boolean heapBuffers, int workers) {
        long params = SequenceModel.parameterBytes(config.model(), task);
        return MemoryCheck.plus(SequenceModel.bytesNeeded(config.model(), task, config.batchSize(), heapBuffers, workers),
            MemoryCheck.times(3, params));
    }

    /**
     * Refuses, before anything is allocated, a run whose arrays cannot exist or whose {@link #bytesNeeded} does
     * not fit the heap, with one line naming the sizes, the bytes and the heap available. {@code fftLength} is
     * the backend's convolution FFT length at the task's longest length ({@code Backend.convolutionFftLength}).
     */
    public static void requireMemory(TrainConfig config, TaskSpec task, boolean heapBuffers, int workers,
                                     long fftLength) {
        SequenceModel.requireArrays("train", config.model(), task, config.batchSize(), fftLength);
        MemoryCheck.require("train: " + SequenceModel.describeSizes(config.model(), task, config.batchSize()),
            bytesNeeded(config, task, heapBuffers, workers));
    }

    /** Writes a training metrics row every {@code n} updates (evaluations are always written). */
    public Trainer logEvery(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("log interval must be ≥ 1, got " + n);
        }
        this.logEvery = n;
        return this;
    }

    public SequenceModel model() {
        return model;
    }

    /**
     * Times the host ops of the model and of the training step (loss, clipping, AdamW, …) into the backend's
     * profiler from now on, as records of kind {@value HostProfile#KIND} beside the backend's kernels (see
     * {@link HostProfile}); {@code false} stops. Off by default, and then free. The command line switches it on
     * with {@code train --profile}, together with the backend's kernel timing. On the JVM backend switch its
     * kernel timing on too ({@code JvmBackend.setProfiling(true)}): the SSM layers' host remainder is their
     * wall time less the kernel time recorded, so without kernel records it includes the kernels.
     */
    public Trainer profileHostOps(boolean on) {
        if (on) {
            model.hostProfile().attach(backend.profiler(), !backend.timesDeviceEvents());
        } else {
            model.hostProfile().detach();
        }
        return this;
    }

    /**
     * One update on the run's next training batch, exactly as {@link #run} makes it (batch, forward, loss,
     * backward, finiteness checks, clipping, AdamW), but without evaluation, metrics, checkpoints or listener
     * calls; advances {@link #step()} and returns the update's training loss. Beyond {@code config.steps()} the
     * schedule's factor is 0: the parameters stop moving, the update's arithmetic stays the same. This is the entry point of {@code bench/TrainStepBench}, which times
     * updates one at a time.
     *
     * @throws TrainingDivergedException as {@link #run}
     */
    public double update() {
        StepResult r = trainStep();
        step++;
        return r.loss;
    }

    /** Updates done so far. */
    public long step() {
        return step;
    }

    /**
     * Trains until {@code config.steps()} (or {@code untilStep}, if smaller); returns the final evaluation.
     *
     * @throws TrainingDivergedException when at some step the loss, a gradient or a parameter becomes non-finite,
     *                                   the gradient norm passes the explode limit, or a layer fails numerically
     *                                   ({@link NumericalFailureException}, the cause)
     * @throws IllegalArgumentException  when the data or the model are inconsistent (a bug, never reported as
     *                                   divergence)
     */
    public Evaluation run(long untilStep) {
        long end = Math.min(untilStep, config.steps());
        // wall time of the whole run, across resumed sessions (the checkpoints carry it)
        long started = System.nanoTime() - (long) (secondsBefore * 1e9);
        listener.started(step, config.steps(), model.size());
        Evaluation last = null;
        try (Metrics metrics = runDir == null ? null : Metrics.open(runDir, step == 0 ? -1 : step)) {
            while (step < end) {
                StepResult r = trainStep();
                step++;
                double secs = (System.nanoTime() - started) * 1e-9;
                listener.step(step, r.loss, r.accuracy, r.lr);
                if (metrics != null && (step % logEvery == 0 || step == end)) {
                    Map<String, Object> row = Metrics.row("train", step);
                    double epochs = (double) step * config.batchSize() * config.accumulate() / data.size(Split.TRAIN);
                    row.put("epoch", round(epochs, 1e4));
                    row.put("loss", r.loss);
                    putScore(row, r.accuracy, r.rmse);
                    row.put("lr", r.lr);
                    row.put("grad_norm", r.gradNorm);
                    row.put("examples", (long) config.batchSize() * config.accumulate());
                    row.put("seconds", round(secs, 1e3));
                    metrics.write(row);
                }
                boolean evalNow = step == end || config.evalEvery() > 0 && step % config.evalEvery() == 0;
                if (evalNow) {
                    try {
                        last = evaluate(Split.TEST, config.evalExamples());
                    } catch (NumericalFailureException e) {
                        throw new TrainingDivergedException(step, null, "evaluation: " + e.getMessage(), e);
                    }
                    listener.evaluated(step, last);
                    if (metrics != null) {
                        Map<String, Object> row = Metrics.row("eval", step);
                        row.put("loss", last.loss());
                        putScore(row, last.accuracy(), last.rmse());
                        row.put("examples", last.examples());
                        row.put("seconds", round((System.nanoTime() - started) * 1e-9, 1e3));
                        metrics.write(row);
                    }
                }
                boolean save = step == end || config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0;
                if (save && runDir != null) {
                    Checkpoints.save(runDir, step, config, model, opt, (System.nanoTime() - started) * 1e-9);
                }
            }
        }
        return last;
    }

    /** A number for the metrics files, rounded to 1/scale. */
    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }

    private static void putScore(Map<String, Object> row, double accuracy, double rmse) {
        if (!Double.isNaN(accuracy)) {
            row.put("accuracy", accuracy);
        }
        if (!Double.isNaN(rmse)) {
            row.put("rmse", rmse);
        }
    }

    private record StepResult(double loss, double accuracy, double rmse, double lr, double gradNorm) {
    }

    private StepResult trainStep() {
        HostProfile prof = model.hostProfile();
        long t = prof.start();
        model.zeroGrad();
        prof.stop(HostProfile.ZERO_GRAD, t);
        int accum = config.accumulate();
        Map<String, Weight> weights = model.weights();
        int k = weights.size() + 1;
        DeviceBuffer scalars = stepScalars;
        DeviceBuffer partials = stepPartials;
        for (int micro = 0; micro < accum; micro++) {
            long first = (step * accum + micro) * config.batchSize();
            t = prof.start();
            Batch batch = Batch.of(data.spec(), trainingExamples(first, config.batchSize()));
            model.load(batch, true);
            prof.stop(HostProfile.BATCH, t);
            try {
                model.forward(true, config.seed(), step * accum + micro);
                long count = model.targets();
                model.loss(count == 0 ? 0.0 : 1.0 / ((double) count * accum), scalars, LossShape.SCALARS * micro);
            } catch (NumericalFailureException e) {
                // the parameters left the region where a layer is defined (a denominator on the unit circle, an
                // overflow): stop, naming the step; bad input (IllegalArgumentException) is a bug and passes
                throw new TrainingDivergedException(step, null, e.getMessage(), e);
            }
            try {
                model.backward();
            } catch (NumericalFailureException e) {
                // a non-finite forward pass reaches the first layer whose backward checks its gradients: say so
                double[] sc = new double[LossShape.SCALARS];
                backend.read(scalars, LossShape.SCALARS * micro, sc, 0, sc.length);
                if (!Double.isFinite(sc[LossShape.LOSS_SUM])) {
                    throw new TrainingDivergedException(step, null, "loss = " + sc[LossShape.LOSS_SUM]
                        + " (the forward pass was not finite)", e);
                }
                throw new TrainingDivergedException(step, null, e.getMessage(), e);
            }
        }
        int slot = 0;
        for (Weight w : weights.values()) {
            backend.sumSquares(Span.of(w.size()), w.grad(), partials, slot++);
        }
        t = prof.start();
        double hostSquares = 0;
        for (Parameter p : model.ssmParameters().values()) {
            for (double g : p.grad()) {
                hostSquares += g * g;
            }
        }
        double[] sc = hostScalars;
        double[] parts = hostPartials;
        parts[slot] = hostSquares;
        backend.write(partials, slot, parts, slot, 1);
        PendingRead lossRead = backend.readLater(scalars, 0, sc, 0, sc.length);
        backend.readLater(partials, 0, parts, 0, k).await();
        lossRead.await();
        prof.stop(HostProfile.LOSS, t);
        double loss = 0;
        long correct = 0;
        long count = 0;
        double ss = 0;
        for (int micro = 0; micro < accum; micro++) {
            int o = LossShape.SCALARS * micro;
            double c = sc[o + LossShape.COUNT];
            if (sc[o + LossShape.INVALID] != 0) {
                throw new IllegalStateException("the loss kernel counted " + sc[o + LossShape.INVALID]
                    + " invalid targets at step " + step + " (the batch's targets were checked on the host)");
            }
            loss += (c == 0 ? 0.0 : sc[o + LossShape.LOSS_SUM] / c) / accum;
            correct += (long) sc[o + LossShape.CORRECT];
            count += (long) c;
            ss += sc[o + LossShape.LOSS_SUM];
        }
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(step, null, "loss = " + loss);
        }
        t = prof.start();
        List<String> names = weightNames;
        double squares = 0;
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(parts[i])) {
                String culprit = i < names.size() ? names.get(i) : firstNonFinite(model.ssmParameters());
                throw new TrainingDivergedException(step, culprit, "gradient of " + culprit + " is not finite (its squared"
                    + " norm is " + parts[i] + ")");
            }
            squares += parts[i];
        }
        double norm = Math.sqrt(squares);
        prof.stop(HostProfile.FINITE_CHECKS, t);
        if (config.explode() > 0 && norm > config.explode()) {
            int best = 0;
            for (int i = 1; i < k; i++) {
                best = parts[i] > parts[best] ? i : best;
            }
            throw new TrainingDivergedException(step, best < names.size() ? names.get(best) : "the SSM parameters",
                "gradient norm " + norm + " > explode limit " + config.explode());
        }
        double factor = schedule.factor(step);
        long k0 = prof.kernelNanos();
        t = prof.start();
        opt.step(factor, partials, k, config.clip(), norm);
        prof.stopOutside(HostProfile.ADAMW, t, k0);
        t = prof.start();
        FiniteValues.require(step, model.ssmParameters());
        prof.stop(HostProfile.FINITE_CHECKS, t);
        boolean regression = data.spec().target() == org.rtf4j.train.data.TaskSpec.Target.REGRESSION;
        return new StepResult(loss, regression || count == 0 ? Double.NaN : (double) correct / count,
            regression ? Math.sqrt(ss / count) : Double.NaN, factor * config.lr(), norm);
    }

    /** The name of the first host parameter with a non-finite gradient entry. */
    private static String firstNonFinite(Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            for (double g : e.getValue().grad()) {
                if (!Double.isFinite(g)) {
                    return e.getKey();
                }
            }
        }
        return "the SSM parameters";
    }

    /** Training examples number first … first+n−1 of the run's example stream. */
    private List<Example> trainingExamples(long first, int n) {
        List<Example> out = new ArrayList<>(n);
        int size = data.size(Split.TRAIN);
        for (long i = first; i < first + n; i++) {
            if (data.generatesFreshTrainingExamples()) {
                out.add(data.get(Split.TRAIN, i));
            } else {
                long epoch = i / size;
                out.add(data.get(Split.TRAIN, permuted(epoch, (int) (i % size))));
            }
        }
        return out;
    }

    /** The epoch's shuffled order (Fisher–Yates seeded by seed and epoch). */
    private long permuted(long epoch, int i) {
        if (epoch != permutationEpoch) {
            int size = data.size(Split.TRAIN);
            long[] p = new long[size];
            for (int k = 0; k < size; k++) {
                p[k] = k;
            }
            SplittableRandom r = new SplittableRandom(config.seed() * 31 + epoch);
            for (int k = size - 1; k > 0; k--) {
                int j = r.nextInt(k + 1);
                long t = p[k];
                p[k] = p[j];
                p[j] = t;
            }
            permutation = p;
            permutationEpoch = epoch;
        }
        return permutation[i];
    }

    /** Loss and score on {@code limit} evenly spaced examples of a split (0 = all), in eval mode. */
    public Evaluation evaluate(Split split, int limit) {
        return Evaluation.of(model, data, split, limit, config.batchSize());
    }

    @Override
    public void close() {
        stepScalars.close();
        stepPartials.close();
        model.close();
    }
}
