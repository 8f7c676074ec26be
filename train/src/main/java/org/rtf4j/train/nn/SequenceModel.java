package org.rtf4j.train.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rtf4j.baselines.LayerSpec;
import org.rtf4j.baselines.SequenceLayers;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfLayer;
import org.rtf4j.layer.SequenceLayer;
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
                LayerSpec spec = new LayerSpec(config.kind(), h, config.stateSize(), task.maxLength(),
                    config.bidirectional(), config.precision(), seed + 1 + i);
                SequenceLayer ssm = config.kind() == LayerKind.RTF
                    ? new RtfLayer(spec.rtfBuilder().constraint(config.rtfConstraint()).build(), backend)
                    : SequenceLayers.create(spec, backend);
                Block block = new Block(name, config, ssm, rng, host);
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
        if (finalNorm != null) {
            put(finalNorm.parameters(), "");
            buffers.putAll(finalNorm.buffers());
        }
        decoder = new Linear("decoder", h, task.outputs(), rng, host);
        put(decoder.parameters(), "");
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
            throw new IllegalArgumentException("batch length " + batch.length() + " exceeds the model's max length "
                + task.maxLength());
        }
        this.batch = batch;
        int n = batch.size();
        int len = batch.length();
        int[] lengths = batch.full() ? null : batch.lengths();
        double[] x = embedding != null ? embedding.forward(batch.tokens(), n, len)
            : encoder.forward(batch.features(), n, len);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, n, len, lengths, training, seed * 0x9E3779B97F4A7C15L + i);
        }
        if (finalNorm != null) {
            x = finalNorm.forward(x, n, len, lengths, training);
        }
        x = config.pooling().forward(x, n, config.channels(), len, lengths);
        outLength = config.pooling() == Pooling.NONE ? len : 1;
        return decoder.forward(x, n, outLength);
    }

    /** Back-propagates ∂loss/∂outputs; accumulates every parameter gradient. */
    public void backward(double[] dOut) {
        if (batch == null) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int n = batch.size();
        int len = batch.length();
        int[] lengths = batch.full() ? null : batch.lengths();
        double[] g = decoder.backward(dOut);
        g = config.pooling().backward(g, n, config.channels(), len, lengths);
        if (config.pooling() == Pooling.NONE && lengths != null) {
            g = Masks.zeroPadding(g.clone(), n, config.channels(), len, lengths);
        }
        if (finalNorm != null) {
            g = finalNorm.backward(g);
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            g = blocks.get(i).backward(g);
        }
        if (embedding != null) {
            embedding.backward(g);
        } else {
            encoder.backward(g);
        }
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
