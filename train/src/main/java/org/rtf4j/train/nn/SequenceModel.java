package org.rtf4j.train.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.Parameter;
import org.rtf4j.layer.SequenceLayer;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * A deep SSM model for one task, every op a kernel of one backend: encoder (embedding for token inputs,
 * linear otherwise), the blocks of {@link ModelConfig}, a final norm when pre-norm, pooling over the valid
 * positions, a linear decoder and the task's loss. Parameters ({@link Weight}), activations and gradients are
 * backend buffers of the model's precision for the whole run; per micro-batch only the batch goes in
 * ({@link #load}) and the loss's scalars come out. The SSM layers keep their parameters on the host (a few
 * values per channel, written before and their gradients read after each pass). Construction is
 * deterministic in the seed; results do not depend on the backend's thread count.
 *
 * <p>The host views of the weights ({@link #parameters()}) are current after {@link #pull()} and take effect
 * after {@link #push()}: checkpoints, the weights interchange and tests go through them. The caller owns the
 * backend and closes it after the model.
 */
public final class SequenceModel implements AutoCloseable {
    private final ModelConfig config;
    private final TaskSpec task;
    private final Backend be;
    private final Weight embedding;
    private final Linear encoder;
    private final List<Block> blocks = new ArrayList<>();
    private final Norm finalNorm;
    private final Linear decoder;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final Map<String, Parameter> ssmParameters = new LinkedHashMap<>();
    private final Map<String, Statistic> statistics = new LinkedHashMap<>();
    private final HostProfile hostProfile = new HostProfile();
    private final DeviceBatch input;
    private final Slot embedded;
    private final Slot pooled;
    private final Slot dPooled;
    private final Slot dOut;
    private final Slot hostScalars;
    private DeviceBuffer outputs;
    private int outLength;
    private boolean forwardDone;

    public SequenceModel(ModelConfig config, TaskSpec task, Backend backend, long seed) {
        if (config == null || task == null || backend == null) {
            throw new IllegalArgumentException("config, task and backend must not be null");
        }
        if (task.target() == TaskSpec.Target.SEQUENCE_CLASS && config.pooling() == Pooling.NONE) {
            throw new IllegalArgumentException("task " + task.name() + " predicts one class per sequence: pooling must be"
                + " mean or last, got none");
        }
        if (task.target() != TaskSpec.Target.SEQUENCE_CLASS && config.pooling() != Pooling.NONE) {
            throw new IllegalArgumentException("task " + task.name() + " predicts per position: pooling must be none, got "
                + config.pooling().name().toLowerCase(java.util.Locale.ROOT));
        }
        this.config = config;
        this.task = task;
        this.be = backend;
        Precision p = config.precision();
        SplittableRandom rng = new SplittableRandom(seed);
        int h = config.channels();
        Weight emb = null;
        Linear enc = null;
        Norm fin = null;
        Linear dec = null;
        DeviceBatch in = null;
        try {
            if (task.tokens()) {
                Parameter table = new Parameter("encoder.weight", new int[] {task.vocabulary(), h}, false);
                double[] w = table.value();
                for (int i = 0; i < w.length; i++) {
                    w[i] = Gaussian.next(rng);
                }
                emb = new Weight(table, be, p);
                put(List.of(emb));
            } else {
                enc = new Linear("encoder", task.inputChannels(), h, rng, be, p);
                put(enc.weights());
            }
            for (int i = 0; i < config.layers(); i++) {
                String name = "blocks." + i;
                SequenceLayer ssm = SequenceLayers.create(layerSpec(config, task, i, seed), be);
                Block block;
                try {
                    block = new Block(name, i, config, ssm, rng, be);
                } catch (RuntimeException e) {
                    ssm.close();
                    throw e;
                }
                block.hostProfile(hostProfile);
                blocks.add(block);
                put(block.weights());
                statistics.putAll(block.statistics());
                for (Parameter q : ssm.parameters()) {
                    String full = name + ".ssm." + q.name();
                    putName(full, q);
                    ssmParameters.put(full, q);
                }
            }
            if (config.prenorm() && config.norm() != ModelConfig.Norm.NONE) {
                fin = new Norm("norm", config.norm(), h, be, p);
                put(fin.weights());
                statistics.putAll(fin.statistics());
            }
            dec = new Linear("decoder", h, task.outputs(), rng, be, p);
            put(dec.weights());
            in = new DeviceBatch(be, task, p);
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {emb, enc, fin, dec, in}) {
                closeQuietly(c);
            }
            for (Block b : blocks) {
                b.close();
            }
            throw e;
        }
        this.embedding = emb;
        this.encoder = enc;
        this.finalNorm = fin;
        this.decoder = dec;
        this.input = in;
        this.embedded = new Slot(be, p);
        this.pooled = new Slot(be, p);
        this.dPooled = new Slot(be, p);
        this.dOut = new Slot(be, p);
        this.hostScalars = new Slot(be, p);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what a failed constructor built; the constructor's failure is what matters
            }
        }
    }

    /** The SSM layer of block {@code i} as the constructor builds it. */
    private static LayerSpec layerSpec(ModelConfig config, TaskSpec task, int i, long seed) {
        return new LayerSpec(config.kind(), config.channels(), config.stateSize(), task.maxLength(), config.bidirectional(),
            config.precision(), seed + 1 + i, LayerSpec.RtfOptions.DEFAULTS.withConstraint(config.rtfConstraint()));
    }

    /**
     * Heap bytes of a model's parameters: host views of their values and gradients (float64, 16 bytes a
     * value; the backend's copies, with the AdamW moments, are counted by {@code Trainer.bytesNeeded}): the encoder
     * (V·H embedding or C·H + H linear), per block the norm (2H, BatchNorm 4H with its statistics) and the
     * Linear(H→2H) (2H² + 2H), the final norm and the decoder (H·K + K), plus the SSM layers' host arrays
     * ({@link SequenceLayers#hostBytes}). Saturates instead of overflowing.
     */
    public static long parameterBytes(ModelConfig config, TaskSpec task) {
        long h = config.channels();
        long encoder = task.tokens() ? MemoryCheck.times(task.vocabulary(), h)
            : MemoryCheck.plus(MemoryCheck.times(task.inputChannels(), h), h);
        long norm = config.norm() == ModelConfig.Norm.NONE ? 0 : MemoryCheck.times(4, h);
        long block = MemoryCheck.plus(norm, config.glu() ? MemoryCheck.plus(MemoryCheck.times(2, h, h), 2 * h) : 0);
        long decoder = MemoryCheck.plus(MemoryCheck.times(h, task.outputs()), task.outputs());
        long values = MemoryCheck.plus(encoder, MemoryCheck.times(config.layers(), block), norm, decoder);
        LayerSpec spec = layerSpec(config, task, 0, 0);
        long ssm = MemoryCheck.times(config.layers(), SequenceLayers.hostBytes(spec));
        return MemoryCheck.plus(MemoryCheck.times(16, values), ssm);
    }

    /**
     * Bytes of the activations of one forward and backward pass over a batch of {@code batch} examples of
     * the task's longest length L, S = B·H·L values of the model's precision, kept in backend buffers for the
     * whole run: per block 16·S (the norm's output and gradient, the masked SSM input, the SSM output and its
     * input gradient, the GELU and dropout outputs, the Linear(H→2H) output and its gradient (2·S each), the
     * GLU output, the residual and the gradients of the backward pass) and 8·S more for the encoder, the
     * final norm and the pooling; the outputs and the loss gradient (2·B·K·L, or 2·B·K when pooled); the
     * padded batch on the host and its examples (about 24 bytes a position per input or target channel).
     * The SSM layers' backend buffers are apart: {@link #bufferBytes}. Saturates instead of overflowing.
     */
    public static long activationBytes(ModelConfig config, TaskSpec task, long batch) {
        long len = task.maxLength();
        long s = MemoryCheck.times(batch, config.channels(), len);
        long kept = MemoryCheck.times(config.precision().bytes(),
            MemoryCheck.plus(MemoryCheck.times(16, config.layers(), s), MemoryCheck.times(8, s)));
        long outputs = MemoryCheck.times(2L * config.precision().bytes(), batch, task.outputs(),
            config.pooling() == Pooling.NONE ? len : 1);
        long channels = MemoryCheck.plus(Math.max(1, task.inputChannels()), task.target() == TaskSpec.Target.REGRESSION
            ? task.outputs() : 1);
        long data = MemoryCheck.times(24, batch, len, channels);
        return MemoryCheck.plus(kept, outputs, data);
    }

    /**
     * Bytes of the SSM layers' backend buffers at batch size {@code batch} and the task's longest length
     * ({@link SequenceLayers#bufferBytes} per block) on the JVM backend, where they are heap arrays: its
     * convolution FFT length ({@link JvmBackend#smoothFftLength}). Saturates.
     */
    public static long bufferBytes(ModelConfig config, TaskSpec task, long batch) {
        long len = task.maxLength();
        return MemoryCheck.times(config.layers(),
            SequenceLayers.bufferBytes(layerSpec(config, task, 0, 0), batch, len, JvmBackend.smoothFftLength(len)));
    }

    /**
     * Estimated heap bytes of a model with a forward and backward pass over batches of {@code batch}:
     * {@link #parameterBytes}, {@link #activationBytes} and, when the backend's buffers are heap arrays
     * ({@code heapBuffers}, the JVM backend with {@code workers} threads), {@link #bufferBytes} and the
     * backend's workspace. An upper-ish bound of the main terms, not an exact count. Saturates.
     */
    public static long bytesNeeded(ModelConfig config, TaskSpec task, long batch, boolean heapBuffers, int workers) {
        long bytes = MemoryCheck.plus(parameterBytes(config, task), activationBytes(config, task, batch));
        if (heapBuffers) {
            bytes = MemoryCheck.plus(bytes, bufferBytes(config, task, batch), JvmBackend.workspaceBytes(workers,
                batch * config.channels(), JvmBackend.smoothFftLength(task.maxLength()), config.precision()));
        }
        return bytes;
    }

    /** "batch B × length L × channels H × n layers (kind, N=..)", the sizes a memory refusal names. */
    public static String describeSizes(ModelConfig config, TaskSpec task, long batch) {
        return "batch " + batch + " × length " + task.maxLength() + " × channels " + config.channels() + " × "
            + config.layers() + (config.layers() == 1 ? " layer" : " layers") + " (" + config.kind().id() + ", state "
            + config.stateSize() + ")";
    }

    /**
     * Refuses a model and batch size whose arrays cannot exist (more than {@link MemoryCheck#MAX_ARRAY}
     * elements), the message starting with {@code command}: the GLU input (B, 2H, L), the SSM layers' input
     * spectra (B·H·(n/2 + 1) complex values, n = {@code fftLength}, the convolution FFT length of the backend
     * the model runs on at the task's longest length, {@link Backend#convolutionFftLength}) and the outputs
     * (B, K, L).
     */
    public static void requireArrays(String command, ModelConfig config, TaskSpec task, long batch, long fftLength) {
        long len = task.maxLength();
        String sizes = "batch " + batch + " × channels " + config.channels() + " × length " + len;
        MemoryCheck.arrayLength(command + ": the activations of " + sizes,
            MemoryCheck.times(batch, 2L * config.channels(), len));
        MemoryCheck.arrayLength(command + ": the SSM input spectra of " + sizes + " (FFT length " + fftLength + ")",
            MemoryCheck.times(2, fftLength / 2 + 1, config.channels(), batch));
        MemoryCheck.arrayLength(command + ": the outputs of batch " + batch + " × " + task.outputs()
            + " outputs × length " + len, MemoryCheck.times(batch, task.outputs(), len));
    }

    private void put(List<Weight> ws) {
        for (Weight w : ws) {
            putName(w.name(), w.parameter());
            weights.put(w.name(), w);
        }
    }

    private void putName(String name, Parameter p) {
        if (parameters.putIfAbsent(name, p) != null) {
            throw new IllegalStateException("duplicate parameter name " + name);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public TaskSpec task() {
        return task;
    }

    /** The backend every op of the model runs on. */
    public Backend backend() {
        return be;
    }

    /**
     * The timer of this model's host work (off until {@link HostProfile#attach attached}): the SSM layers'
     * host remainder, and the trainer's own host ops (batch, loss scalars, …); the kernels are the backend
     * profiler's records.
     */
    public HostProfile hostProfile() {
        return hostProfile;
    }

    /** Every trainable parameter's host view by its full name, in a fixed order (see {@link #pull()}). */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The weights on the backend by full name (every parameter but the SSM layers'), in the same order. */
    public Map<String, Weight> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /** The SSM layers' parameters (host arrays, the layers' own) by full name, in the same order. */
    public Map<String, Parameter> ssmParameters() {
        return Collections.unmodifiableMap(ssmParameters);
    }

    /** Non-trained state (BatchNorm running statistics) by full name: host arrays, current after {@link #pull()}. */
    public Map<String, double[]> buffers() {
        Map<String, double[]> m = new LinkedHashMap<>();
        statistics.forEach((k, v) -> m.put(k, v.host()));
        return Collections.unmodifiableMap(m);
    }

    /** Reads every weight and statistic from the backend into its host view (a blocking read). */
    public void pull() {
        for (Weight w : weights.values()) {
            w.pull();
        }
        for (Statistic s : statistics.values()) {
            s.pull();
        }
    }

    /** Writes every host view of a weight and statistic to the backend (after a restore or a host edit). */
    public void push() {
        for (Weight w : weights.values()) {
            w.push();
        }
        for (Statistic s : statistics.values()) {
            s.push();
        }
    }

    /** Reads the weights' gradients into their host views' gradients (tests; the SSM ones are host arrays). */
    public void pullGradients() {
        for (Weight w : weights.values()) {
            w.pullGradient();
        }
    }

    /** Sets every gradient to zero: the weights' on the backend, the SSM layers' on the host. */
    public void zeroGrad() {
        for (Weight w : weights.values()) {
            be.zero(w.grad());
        }
        for (Block b : blocks) {
            b.ssm().zeroGrad();
        }
    }

    /**
     * Uploads a batch: its inputs, lengths and targets ({@code training}: also the embedding gradient's token
     * groups). The next {@link #forward} and {@link #loss} use it.
     */
    public void load(Batch batch, boolean training) {
        if (batch.length() > task.maxLength()) {
            throw new IllegalArgumentException("batch length must be ≤ the model's max length " + task.maxLength()
                + ", got " + batch.length());
        }
        forwardDone = false;
        input.load(batch, training);
    }

    /** Counted targets of the loaded batch (sequences, target positions, or valid positions × outputs). */
    public long targets() {
        return input.count();
    }

    /**
     * The outputs of the loaded batch, kept on the backend: logits (B, K) for sequence classification, else
     * (B, K, ℓ). In training mode dropout masks derive from (seed, step) and each dropout's index.
     */
    public DeviceBuffer forward(boolean training, long seed, long step) {
        Batch batch = input.batch();
        if (batch == null) {
            throw new IllegalStateException("forward needs a loaded batch");
        }
        int n = batch.size();
        int len = batch.length();
        int h = config.channels();
        boolean padded = !batch.full();
        DeviceBuffer x;
        if (embedding != null) {
            x = embedded.get((long) n * h * len);
            be.embedding(new EmbeddingShape(n, len, task.vocabulary(), h), input.tokens(), embedding.value(), x);
        } else {
            x = encoder.forward(input.features(), n, len);
        }
        for (Block b : blocks) {
            x = b.forward(x, n, len, input.lengths(), padded, training, seed, step);
        }
        if (finalNorm != null) {
            x = finalNorm.forward(x, n, len, input.lengths(), training);
        }
        if (config.pooling() != Pooling.NONE) {
            DeviceBuffer y = pooled.get((long) n * h);
            be.pool(new PoolShape(n, h, len, config.pooling().mode()), input.lengths(), x, y);
            x = y;
        }
        outLength = config.pooling() == Pooling.NONE ? len : 1;
        outputs = decoder.forward(x, n, outLength);
        forwardDone = true;
        return outputs;
    }

    /**
     * Queues the task's loss of the last forward pass: ∂loss/∂outputs times {@code scale} into the
     * gradient the backward pass starts from, and the {@link LossShape#SCALARS} scalars (summed loss, correct,
     * counted, invalid targets) into {@code scalars} at {@code offset}. With scale = 1/{@link #targets()} the
     * gradient is that of the mean loss.
     */
    public void loss(double scale, DeviceBuffer scalars, int offset) {
        if (!forwardDone) {
            throw new IllegalStateException("the loss needs a forward pass first");
        }
        Batch batch = input.batch();
        int n = batch.size();
        int k = task.outputs();
        DeviceBuffer g = dOut.get((long) n * k * outLength);
        LossShape shape = new LossShape(n, k, outLength);
        if (task.target() == TaskSpec.Target.REGRESSION) {
            be.mse(shape, outputs, input.targetValues(), input.lengths(), scale, g, scalars, offset);
        } else {
            be.crossEntropy(shape, outputs, input.targets(), scale, g, scalars, offset);
        }
    }

    /** Back-propagates the gradient {@link #loss} wrote; accumulates every parameter gradient. */
    public void backward() {
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        forwardDone = false;
        Batch batch = input.batch();
        int n = batch.size();
        int len = batch.length();
        int h = config.channels();
        DeviceBuffer g = decoder.backward(dOut.current());
        if (config.pooling() != Pooling.NONE) {
            DeviceBuffer d = dPooled.get((long) n * h * len);
            be.poolBackward(new PoolShape(n, h, len, config.pooling().mode()), input.lengths(), g, d);
            g = d;
        } else if (!batch.full()) {
            be.maskPadding(new NormShape(n, h, len), input.lengths(), g);
        }
        if (finalNorm != null) {
            g = finalNorm.backward(g);
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            g = blocks.get(i).backward(g);
        }
        if (embedding != null) {
            if (!input.grouped()) {
                throw new IllegalStateException("backward needs a batch loaded for training (load(batch, true))");
            }
            be.embeddingBackward(new EmbeddingShape(n, len, task.vocabulary(), h), input.tokenOrder(), input.tokenStarts(),
                g, embedding.grad());
        } else {
            encoder.backward(g);
        }
    }

    /**
     * Host-array form for tests and tools: loads {@code batch}, runs the forward pass and returns the outputs
     * read back (float64). The weights are the backend's: after editing host views, {@link #push()} first.
     */
    public double[] forward(Batch batch, boolean training, long seed) {
        load(batch, training);
        DeviceBuffer out = forward(training, seed, 0);
        double[] y = new double[batch.size() * task.outputs() * outLength];
        be.read(out, 0, y, 0, y.length);
        return y;
    }

    /**
     * The mean loss of the loaded batch's last forward pass and its scalars, read back (a blocking read), with
     * the gradient of the mean loss ready for {@link #backward()}: tests and tools.
     */
    public double[] lossScalars() {
        DeviceBuffer s = hostScalars.get(LossShape.SCALARS);
        loss(input.count() == 0 ? 0.0 : 1.0 / input.count(), s, 0);
        double[] out = new double[LossShape.SCALARS];
        be.read(s, 0, out, 0, out.length);
        return out;
    }

    /** Number of trainable values. */
    public long size() {
        long s = 0;
        for (Parameter p : parameters.values()) {
            s += p.size();
        }
        return s;
    }

    @Override
    public void close() {
        for (Block b : blocks) {
            b.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {embedding, encoder, finalNorm, decoder, input, embedded, pooled, dPooled,
            dOut, hostScalars}) {
            closeQuietly(c);
        }
    }
}
