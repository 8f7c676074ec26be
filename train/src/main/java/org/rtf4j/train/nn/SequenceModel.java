package org.rtf4j.train.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.layer.SequenceLayer;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * A deep SSM model for one task: encoder (embedding for token inputs, linear otherwise), the blocks of
 * {@link ModelConfig}, a final LayerNorm when pre-norm, pooling over the valid positions and a linear
 * decoder. The SSM layers run on the given backend; every other op is float64 host code with its own
 * explicit backward, whose parallel loops run on the given host executor and nowhere else. Construction is
 * deterministic in the seed; results do not depend on the number of host threads.
 *
 * <p>The caller owns both the backend and the host executor and closes them after the model. With a
 * {@link org.rtf4j.kernels.jvm.JvmBackend}, pass its {@link org.rtf4j.kernels.jvm.JvmBackend#executor()
 * executor}, so that one pool owns every worker thread (the executor serialises the kernels' and the host
 * loops' calls); with another backend, an executor of the threads the host code may use.
 */
public final class SequenceModel implements AutoCloseable {
    private final ModelConfig config;
    private final TaskSpec task;
    private final Embedding embedding;
    private final Linear encoder;
    private final List<Block> blocks = new ArrayList<>();
    private final Normalization finalNorm;
    private final Linear decoder;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, double[]> buffers = new LinkedHashMap<>();
    private final HostProfile hostProfile = new HostProfile();
    private final String finalNormName;
    private Batch batch;
    private int outLength;

    public SequenceModel(ModelConfig config, TaskSpec task, Backend backend, JvmExecutor host, long seed) {
        if (config == null || task == null || backend == null || host == null) {
            throw new IllegalArgumentException("config, task, backend and host executor must not be null");
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
        SplittableRandom rng = new SplittableRandom(seed);
        int h = config.channels();
        if (task.tokens()) {
            embedding = new Embedding("encoder", task.vocabulary(), h, rng);
            encoder = null;
            put(embedding.parameters(), "");
        } else {
            embedding = null;
            encoder = new Linear("encoder", task.inputChannels(), h, rng, host);
            put(encoder.parameters(), "");
        }
        try {
            for (int i = 0; i < config.layers(); i++) {
                String name = "blocks." + i;
                LayerSpec spec = layerSpec(config, task, i, seed);
                SequenceLayer ssm = SequenceLayers.create(spec, backend);
                Block block = new Block(name, config, ssm, rng, host);
                block.hostProfile(hostProfile);
                blocks.add(block);
                put(block.ownParameters(), "");
                buffers.putAll(block.buffers());
                put(ssm.parameters(), name + ".ssm.");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        finalNorm = !config.prenorm() || config.norm() == ModelConfig.Norm.NONE ? null
            : config.norm() == ModelConfig.Norm.LAYER ? new LayerNorm("norm", h, host) : new BatchNorm("norm", h, host);
        finalNormName = finalNorm instanceof BatchNorm ? "batchnorm" : "layernorm";
        if (finalNorm != null) {
            put(finalNorm.parameters(), "");
            buffers.putAll(finalNorm.buffers());
        }
        decoder = new Linear("decoder", h, task.outputs(), rng, host);
        put(decoder.parameters(), "");
    }

    /** The SSM layer of block {@code i} as the constructor builds it. */
    private static LayerSpec layerSpec(ModelConfig config, TaskSpec task, int i, long seed) {
        return new LayerSpec(config.kind(), config.channels(), config.stateSize(), task.maxLength(), config.bidirectional(),
            config.precision(), seed + 1 + i, LayerSpec.RtfOptions.DEFAULTS.withConstraint(config.rtfConstraint()));
    }

    /**
     * Heap bytes of a model's parameters with their gradients (float64, 16 bytes a value): the encoder
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
     * Heap bytes of one forward and backward pass over a batch of {@code batch} examples of the task's
     * longest length L, S = B·H·L float64 values: per block about 8·S kept for the backward pass (the norm's
     * normalised input, the SSM output, the GELU input, dropout masks, the Linear(H→2H) input and the GLU's
     * 2·S input) and 8·S more for the encoder output, the final norm, the pooling and the transient
     * gradients of the backward pass; the outputs, the loss gradient and its copy (3·B·K·L, or 3·B·K when
     * pooled); the padded batch and its examples (about 24 bytes a position per input or target channel).
     * The SSM layers' backend buffers are apart: {@link #bufferBytes}. Saturates instead of overflowing.
     */
    public static long activationBytes(ModelConfig config, TaskSpec task, long batch) {
        long len = task.maxLength();
        long s = MemoryCheck.times(batch, config.channels(), len);
        long kept = MemoryCheck.times(8, MemoryCheck.plus(MemoryCheck.times(8, config.layers(), s), MemoryCheck.times(8, s)));
        long outputs = MemoryCheck.times(8 * 3, batch, task.outputs(), config.pooling() == Pooling.NONE ? len : 1);
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

    private void put(List<Parameter> ps, String prefix) {
        for (Parameter p : ps) {
            String name = prefix + p.name();
            if (parameters.putIfAbsent(name, p) != null) {
                throw new IllegalStateException("duplicate parameter name " + name);
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * The timer of this model's host ops (off until {@link HostProfile#attach attached}); the trainer times its
     * own ops (loss, clipping, AdamW, …) through it too.
     */
    public HostProfile hostProfile() {
        return hostProfile;
    }

    public TaskSpec task() {
        return task;
    }

    /** Every trainable parameter by its full name, in a fixed order. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Non-trained state (BatchNorm running statistics) by full name: live arrays, saved in checkpoints. */
    public Map<String, double[]> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters.values()) {
            java.util.Arrays.fill(p.grad(), 0.0);
        }
    }

    /**
     * Outputs of a batch: logits (B, K) for sequence classification, else (B, K, ℓ). In training mode dropout
     * masks derive from {@code seed}; in eval mode dropout is off.
     */
    public double[] forward(Batch batch, boolean training, long seed) {
        if (batch.length() > task.maxLength()) {
            throw new IllegalArgumentException("batch length must be ≤ the model's max length " + task.maxLength()
                + ", got " + batch.length());
        }
        this.batch = batch;
        int n = batch.size();
        int len = batch.length();
        int[] lengths = batch.full() ? null : batch.lengths();
        HostProfile prof = hostProfile;
        long t = prof.start();
        double[] x = embedding != null ? embedding.forward(batch.tokens(), n, len)
            : encoder.forward(batch.features(), n, len);
        prof.stop("encoder.forward", t);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, n, len, lengths, training, seed * 0x9E3779B97F4A7C15L + i);
        }
        t = prof.start();
        if (finalNorm != null) {
            x = finalNorm.forward(x, n, len, lengths, training);
            prof.stop(finalNormName + ".forward", t);
            t = prof.start();
        }
        if (config.pooling() != Pooling.NONE) {
            x = config.pooling().forward(x, n, config.channels(), len, lengths);
            prof.stop("pooling.forward", t);
            t = prof.start();
        }
        outLength = config.pooling() == Pooling.NONE ? len : 1;
        double[] y = decoder.forward(x, n, outLength);
        prof.stop("decoder.forward", t);
        return y;
    }

    /** Back-propagates ∂loss/∂outputs; accumulates every parameter gradient. */
    public void backward(double[] dOut) {
        if (batch == null) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int n = batch.size();
        int len = batch.length();
        int[] lengths = batch.full() ? null : batch.lengths();
        HostProfile prof = hostProfile;
        long t = prof.start();
        double[] g = decoder.backward(dOut);
        prof.stop("decoder.backward", t);
        t = prof.start();
        if (config.pooling() != Pooling.NONE) {
            g = config.pooling().backward(g, n, config.channels(), len, lengths);
            prof.stop("pooling.backward", t);
            t = prof.start();
        }
        if (config.pooling() == Pooling.NONE && lengths != null) {
            g = Masks.zeroPadding(g.clone(), n, config.channels(), len, lengths);
            prof.stop("mask.backward", t);
            t = prof.start();
        }
        if (finalNorm != null) {
            g = finalNorm.backward(g);
            prof.stop(finalNormName + ".backward", t);
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            g = blocks.get(i).backward(g);
        }
        t = prof.start();
        if (embedding != null) {
            embedding.backward(g);
        } else {
            encoder.backward(g);
        }
        prof.stop("encoder.backward", t);
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
    }
}
