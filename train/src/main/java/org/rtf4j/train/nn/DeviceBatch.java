package org.rtf4j.train.nn;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.TokenGroups;
import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * A batch on the backend: what goes over the bus per micro-batch and nothing else. Token ids (with, for the
 * embedding's gradient, the positions grouped by token), or the real inputs; the valid lengths; the targets
 * of the task's kind. The buffers grow to the largest batch seen and are reused. Targets are checked on the
 * host here (class and token ids within the outputs), so the kernels never see an out-of-range index.
 */
final class DeviceBatch implements AutoCloseable {
    private final Backend be;
    private final TaskSpec task;
    private final Slot features;
    private final Slot targetValues;
    private IndexBuffer tokens;
    private IndexBuffer order;
    private IndexBuffer starts;
    private IndexBuffer lengths;
    private IndexBuffer targets;
    private int[] orderHost = new int[0];
    private int[] startsHost = new int[0];
    private Batch batch;
    private long count;
    private boolean grouped;

    DeviceBatch(Backend be, TaskSpec task, Precision p) {
        this.be = be;
        this.task = task;
        this.features = new Slot(be, p);
        this.targetValues = new Slot(be, p);
    }

    /**
     * Uploads {@code b}: inputs, lengths and targets, and the token groups when {@code gradients} (a training
     * pass differentiates the embedding).
     *
     * @throws IllegalArgumentException when a target is outside the task's outputs
     */
    void load(Batch b, boolean gradients) {
        this.batch = b;
        int n = b.size();
        int len = b.length();
        int positions = n * len;
        grouped = false;
        if (task.tokens()) {
            int v = task.vocabulary();
            for (int i = 0; i < positions; i++) {
                int id = b.tokens()[i];
                if (id < 0 || id >= v) {
                    throw new IllegalArgumentException("token at example " + i / len + ", position " + i % len
                        + " must be in [0, " + v + "), got " + id);
                }
            }
            tokens = indices(tokens, positions);
            be.writeIndices(tokens, 0, b.tokens(), 0, positions);
            if (gradients) {
                if (orderHost.length < positions) {
                    orderHost = new int[positions];
                }
                if (startsHost.length < task.vocabulary() + 1) {
                    startsHost = new int[task.vocabulary() + 1];
                }
                TokenGroups.build(b.tokens(), positions, task.vocabulary(), orderHost, startsHost);
                order = indices(order, positions);
                starts = indices(starts, task.vocabulary() + 1);
                be.writeIndices(order, 0, orderHost, 0, positions);
                be.writeIndices(starts, 0, startsHost, 0, task.vocabulary() + 1);
                grouped = true;
            }
        } else {
            int size = n * b.channels() * len;
            be.write(features.get(size), 0, b.features(), 0, size);
        }
        lengths = indices(lengths, n);
        be.writeIndices(lengths, 0, b.lengths(), 0, n);
        int k = task.outputs();
        switch (task.target()) {
            case SEQUENCE_CLASS: {
                for (int i = 0; i < n; i++) {
                    int y = b.labels()[i];
                    if (y < 0 || y >= k) {
                        throw new IllegalArgumentException("label " + y + " of example " + i + " must be in [0, " + k + ")");
                    }
                }
                targets = indices(targets, n);
                be.writeIndices(targets, 0, b.labels(), 0, n);
                count = n;
                break;
            }
            case TOKEN_CLASS: {
                long c = 0;
                for (int i = 0; i < positions; i++) {
                    int y = b.targetTokens()[i];
                    if (y >= k) {
                        throw new IllegalArgumentException("target token " + y + " at (" + i / len + ", " + i % len
                            + ") must be < " + k);
                    }
                    c += y >= 0 ? 1 : 0;
                }
                targets = indices(targets, positions);
                be.writeIndices(targets, 0, b.targetTokens(), 0, positions);
                count = c;
                break;
            }
            default: {
                int size = n * k * len;
                be.write(targetValues.get(size), 0, b.targetValues(), 0, size);
                long c = 0;
                for (int i = 0; i < n; i++) {
                    c += b.lengths()[i];
                }
                count = c * k;
            }
        }
    }

    private IndexBuffer indices(IndexBuffer old, int length) {
        if (old != null && old.length() >= length) {
            return old;
        }
        if (old != null) {
            old.close();
        }
        return be.allocateIndices(Math.max(1, length));
    }

    Batch batch() {
        return batch;
    }

    int size() {
        return batch.size();
    }

    int length() {
        return batch.length();
    }

    /** Counted targets: sequences, positions with a target ≥ 0, or valid positions × outputs (regression). */
    long count() {
        return count;
    }

    DeviceBuffer features() {
        return features.current();
    }

    IndexBuffer tokens() {
        return tokens;
    }

    /** Whether the loaded batch's token groups (the embedding gradient's) were written: a training load. */
    boolean grouped() {
        return grouped;
    }

    IndexBuffer tokenOrder() {
        return order;
    }

    IndexBuffer tokenStarts() {
        return starts;
    }

    IndexBuffer lengths() {
        return lengths;
    }

    /** Class or token targets (classification). */
    IndexBuffer targets() {
        return targets;
    }

    /** Real targets (regression). */
    DeviceBuffer targetValues() {
        return targetValues.current();
    }

    @Override
    public void close() {
        features.close();
        targetValues.close();
        for (IndexBuffer b : new IndexBuffer[] {tokens, order, starts, lengths, targets}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
