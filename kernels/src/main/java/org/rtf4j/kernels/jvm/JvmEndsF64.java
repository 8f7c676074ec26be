package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;

/**
 * The JVM's kernels of the model's ends (float64 template of the generated float32 twin):
 * {@link org.rtf4j.kernels.backend.KernelId#EMBEDDING}, {@code EMBEDDING_BACKWARD}, {@code POOL},
 * {@code POOL_BACKWARD}, {@code CROSS_ENTROPY} and {@code MSE}, with the contracts of the {@code Backend}
 * methods of the same names.
 *
 * <h2>Sums</h2>
 * Every reduction is in the buffer's precision and in a fixed order: the embedding gradient is one running sum
 * per table element over its positions in the grouping's order (no atomics); the pooled mean and the loss sums
 * are {@link LossShape}'s pairwise sum ({@link Pairwise}: blocks of {@value LossShape#BLOCK} terms left to
 * right, block sums merged by a binary counter). A loss runs in units of {@value LossShape#CHUNK} positions, each
 * unit's pairwise sum is a whole subtree of the pairwise sum over all positions, and the unit sums are combined
 * by the same counter afterwards in unit order: the result is the serial pairwise sum bit for bit, on any
 * thread count. Counts are exact integers.
 *
 * <h2>Work split</h2>
 * Embedding: (b, h) output rows, at least {@value #BLOCK} elements a unit; its backward: table rows. Pooling:
 * (b, c) rows. Losses: chunks of positions (cross-entropy) or elements (MSE). Each element is computed by the
 * same expression whatever unit it falls in. The loop tasks are reused; a call allocates nothing once the
 * partial-sum arrays have grown to the largest shape.
 */
final class JvmEndsF64 {
    /** Elements per unit of the elementwise loops. */
    static final int BLOCK = 4096;

    private final EmbeddingTask embedding = new EmbeddingTask();
    private final EmbeddingBackwardTask embeddingBackward = new EmbeddingBackwardTask();
    private final PoolTask pool;
    private final LossTask loss;

    JvmEndsF64(int threads) {
        Pairwise[] sums = new Pairwise[threads];
        for (int i = 0; i < threads; i++) {
            sums[i] = new Pairwise();
        }
        this.pool = new PoolTask(sums);
        this.loss = new LossTask(sums);
    }

    /** y (B, H, ℓ) = table rows of the tokens; NaN for a token outside [0, V). */
    synchronized void embedding(JvmExecutor executor, EmbeddingShape shape, int[] tokens, double[] table, double[] y) {
        EmbeddingTask t = embedding;
        t.shape = shape;
        t.tokens = tokens;
        t.table = table;
        t.y = y;
        t.rowsPerUnit = Math.max(1, BLOCK / shape.length());
        t.call(executor);
    }

    /** dTable += dy summed by token over the grouping (order, starts). */
    synchronized void embeddingBackward(JvmExecutor executor, EmbeddingShape shape, int[] order, int[] starts, double[] dy,
                                        double[] dTable) {
        EmbeddingBackwardTask t = embeddingBackward;
        t.shape = shape;
        t.order = order;
        t.starts = starts;
        t.dy = dy;
        t.dTable = dTable;
        t.call(executor);
    }

    /** y (B, C) pooled from x (B, C, ℓ) over the valid lengths. */
    synchronized void pool(JvmExecutor executor, PoolShape shape, int[] lengths, double[] x, double[] y) {
        PoolTask t = pool;
        t.set(shape, false, lengths, x, y);
        t.call(executor);
    }

    /** dx (B, C, ℓ) of the pooling from dy (B, C). */
    synchronized void poolBackward(JvmExecutor executor, PoolShape shape, int[] lengths, double[] dy, double[] dx) {
        PoolTask t = pool;
        t.set(shape, true, lengths, dy, dx);
        t.call(executor);
    }

    /** Cross-entropy gradient and scalars. */
    synchronized void crossEntropy(JvmExecutor executor, LossShape shape, double[] logits, int[] targets, double scale,
                                   double[] grad, double[] scalars, int offset) {
        LossTask t = loss;
        t.set(shape, false, logits, null, targets, scale, grad);
        t.run(executor, scalars, offset);
    }

    /** MSE gradient and scalars. */
    synchronized void mse(JvmExecutor executor, LossShape shape, double[] outputs, double[] targets, int[] lengths,
                          double scale, double[] grad, double[] scalars, int offset) {
        LossTask t = loss;
        t.set(shape, true, outputs, targets, lengths, scale, grad);
        t.run(executor, scalars, offset);
    }

    /**
     * {@link LossShape}'s pairwise sum, fed one term at a time: blocks of {@value LossShape#BLOCK} terms summed from
     * 0 left to right; block j (counting from 1) merges with the top of the stack while j has trailing zero bits
     * ({@code top + s}); the total sums the stack from its top down ({@code stack[i] + t}). {@link #combine} merges
     * unit totals the same way, one subtree per unit.
     */
    static final class Pairwise {
        private final double[] stack = new double[64];
        private int depth;
        private long blocks;
        private double block;
        private int inBlock;

        void reset() {
            depth = 0;
            blocks = 0;
            block = 0;
            inBlock = 0;
        }

        void add(double v) {
            block += v;
            if (++inBlock == LossShape.BLOCK) {
                push();
            }
        }

        private void push() {
            double s = block;
            block = 0;
            inBlock = 0;
            long m = ++blocks;
            while ((m & 1) == 0) {
                s = stack[--depth] + s;
                m >>= 1;
            }
            stack[depth++] = s;
        }

        /** The sum of the terms added since {@link #reset} (0 for none); the accumulator is then spent. */
        double total() {
            if (inBlock > 0) {
                push();
            }
            if (depth == 0) {
                return 0;
            }
            double t = stack[depth - 1];
            for (int i = depth - 2; i >= 0; i--) {
                t = stack[i] + t;
            }
            return t;
        }

        /** The pairwise combination of {@code n} unit sums, each a subtree of aligned units (see the class). */
        double combine(double[] v, int n) {
            reset();
            for (int k = 0; k < n; k++) {
                double s = v[k];
                long m = k + 1;
                while ((m & 1) == 0) {
                    s = stack[--depth] + s;
                    m >>= 1;
                }
                stack[depth++] = s;
            }
            if (depth == 0) {
                return 0;
            }
            double t = stack[depth - 1];
            for (int i = depth - 2; i >= 0; i--) {
                t = stack[i] + t;
            }
            return t;
        }
    }

    /** The gather, over (b, h) output rows. */
    private static final class EmbeddingTask extends KernelTask {
        EmbeddingShape shape;
        int rowsPerUnit;
        int[] tokens;
        double[] table;
        double[] y;

        @Override
        int rowCount(int phase) {
            int rows = shape.batch() * shape.dim();
            return (rows + rowsPerUnit - 1) / rowsPerUnit;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int dim = shape.dim();
            int ell = shape.length();
            int vocabulary = shape.vocabulary();
            int r1 = (int) Math.min((long) shape.batch() * dim, (long) to * rowsPerUnit);
            for (int r = from * rowsPerUnit; r < r1; r++) {
                int b = r / dim;
                int h = r - b * dim;
                int tb = b * ell;
                int yb = r * ell;
                for (int t = 0; t < ell; t++) {
                    int v = tokens[tb + t];
                    y[yb + t] = v >= 0 && v < vocabulary ? table[v * dim + h] : Double.NaN;
                }
            }
        }

        @Override
        void clear() {
            tokens = null;
            table = null;
            y = null;
        }
    }

    /** The scatter-add by token, over table rows: each (v, h) one running sum in the grouping's order. */
    private static final class EmbeddingBackwardTask extends KernelTask {
        EmbeddingShape shape;
        int[] order;
        int[] starts;
        double[] dy;
        double[] dTable;

        @Override
        int rowCount(int phase) {
            return shape.vocabulary();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int dim = shape.dim();
            int ell = shape.length();
            int positions = shape.positions();
            for (int v = from; v < to; v++) {
                int i0 = Math.min(Math.max(starts[v], 0), positions);
                int i1 = Math.min(Math.max(starts[v + 1], 0), positions);
                int row = v * dim;
                boolean bad = false;
                for (int i = i0; i < i1; i++) {
                    int p = order[i];
                    bad |= p < 0 || p >= positions;
                }
                if (bad) {
                    java.util.Arrays.fill(dTable, row, row + dim, Double.NaN);
                    continue;
                }
                for (int i = i0; i < i1; i++) {
                    int p = order[i];
                    int b = p / ell;
                    int src = b * dim * ell + (p - b * ell);
                    for (int h = 0; h < dim; h++) {
                        dTable[row + h] += dy[src + h * ell];
                    }
                }
            }
        }

        @Override
        void clear() {
            order = null;
            starts = null;
            dy = null;
            dTable = null;
        }
    }

    /** Pooling or its backward over (b, c) rows. */
    private static final class PoolTask extends KernelTask {
        private final Pairwise[] sums;
        boolean backward;
        boolean mean;
        int channels;
        int length;
        int rows;
        int rowsPerUnit;
        int[] lengths;
        double[] in;
        double[] out;

        PoolTask(Pairwise[] sums) {
            this.sums = sums;
        }

        void set(PoolShape shape, boolean backward, int[] lengths, double[] in, double[] out) {
            this.backward = backward;
            this.mean = shape.mode() == PoolShape.Mode.MEAN;
            this.channels = shape.channels();
            this.length = shape.length();
            this.rows = shape.outputCount();
            this.rowsPerUnit = Math.max(1, BLOCK / length);
            this.lengths = lengths;
            this.in = in;
            this.out = out;
        }

        @Override
        int rowCount(int phase) {
            return (rows + rowsPerUnit - 1) / rowsPerUnit;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            Pairwise acc = sums[w];
            int ell = length;
            int r1 = (int) Math.min(rows, (long) to * rowsPerUnit);
            for (int r = from * rowsPerUnit; r < r1; r++) {
                int n = lengths[r / channels];
                boolean valid = n >= 1 && n <= ell;
                int o = r * ell;
                if (backward) {
                    if (!valid) {
                        java.util.Arrays.fill(out, o, o + ell, Double.NaN);
                    } else if (mean) {
                        double g = in[r] / n;
                        java.util.Arrays.fill(out, o, o + n, g);
                        java.util.Arrays.fill(out, o + n, o + ell, 0.0);
                    } else {
                        java.util.Arrays.fill(out, o, o + ell, 0.0);
                        out[o + n - 1] = in[r];
                    }
                } else if (!valid) {
                    out[r] = Double.NaN;
                } else if (mean) {
                    acc.reset();
                    for (int t = 0; t < n; t++) {
                        acc.add(in[o + t]);
                    }
                    out[r] = acc.total() / n;
                } else {
                    out[r] = in[o + n - 1];
                }
            }
        }

        @Override
        void clear() {
            lengths = null;
            in = null;
            out = null;
        }
    }

    /**
     * A loss over chunks of {@value LossShape#CHUNK} terms (positions for cross-entropy, elements for MSE): the
     * gradient, and per chunk the pairwise sum of the terms and the three counts; then the chunks combined.
     */
    private static final class LossTask extends KernelTask {
        private final Pairwise[] sums;
        private double[] chunkSums = new double[0];
        private long[] chunkCounts = new long[0];
        boolean squared;
        LossShape shape;
        int terms;
        double[] out;
        double[] real;
        int[] ints;
        double scale;
        double[] grad;

        LossTask(Pairwise[] sums) {
            this.sums = sums;
        }

        void set(LossShape shape, boolean squared, double[] out, double[] real, int[] ints, double scale, double[] grad) {
            this.shape = shape;
            this.squared = squared;
            this.terms = squared ? shape.count() : shape.positions();
            this.out = out;
            this.real = real;
            this.ints = ints;
            this.scale = scale;
            this.grad = grad;
            int chunks = chunks();
            if (chunkSums.length < chunks) {
                chunkSums = new double[chunks];
                chunkCounts = new long[3 * chunks];
            }
        }

        private int chunks() {
            return (int) (((long) terms + LossShape.CHUNK - 1) / LossShape.CHUNK);
        }

        /** Runs the chunks and writes the scalars (the task's arrays are cleared after). */
        void run(JvmExecutor executor, double[] scalars, int offset) {
            int chunks = chunks();
            try {
                call(executor);
                long correct = 0;
                long count = 0;
                long invalid = 0;
                for (int c = 0; c < chunks; c++) {
                    correct += chunkCounts[3 * c];
                    count += chunkCounts[3 * c + 1];
                    invalid += chunkCounts[3 * c + 2];
                }
                scalars[offset + LossShape.LOSS_SUM] = sums[0].combine(chunkSums, chunks);
                scalars[offset + LossShape.CORRECT] = correct;
                scalars[offset + LossShape.COUNT] = count;
                scalars[offset + LossShape.INVALID] = invalid;
            } finally {
                clear();
            }
        }

        @Override
        int rowCount(int phase) {
            return chunks();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            Pairwise acc = sums[w];
            for (int c = from; c < to; c++) {
                acc.reset();
                int i0 = c * LossShape.CHUNK;
                int i1 = (int) Math.min(terms, (long) i0 + LossShape.CHUNK);
                if (squared) {
                    squares(acc, c, i0, i1);
                } else {
                    crossEntropy(acc, c, i0, i1);
                }
                chunkSums[c] = acc.total();
            }
        }

        /** Positions [i0, i1) of chunk c: gradient columns, loss terms, the chunk's counts. */
        private void crossEntropy(Pairwise acc, int chunk, int i0, int i1) {
            int k = shape.outputs();
            int ell = shape.length();
            long correct = 0;
            long counted = 0;
            long invalid = 0;
            for (int i = i0; i < i1; i++) {
                int b = i / ell;
                int base = b * k * ell + (i - b * ell);
                int y = ints[i];
                if (y < 0) {
                    for (int c = 0; c < k; c++) {
                        grad[base + c * ell] = 0.0;
                    }
                    acc.add(0.0);
                    continue;
                }
                if (y >= k) {
                    for (int c = 0; c < k; c++) {
                        grad[base + c * ell] = Double.NaN;
                    }
                    acc.add(Double.NaN);
                    invalid++;
                    continue;
                }
                double m = out[base];
                int arg = 0;
                for (int c = 1; c < k; c++) {
                    double v = out[base + c * ell];
                    if (v > m) {
                        m = v;
                        arg = c;
                    }
                }
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += (double) Math.exp(out[base + c * ell] - m);
                }
                double term = (m - out[base + y * ell]) + (double) Math.log(s);
                for (int c = 0; c < k; c++) {
                    double p = (double) Math.exp(out[base + c * ell] - m) / s;
                    grad[base + c * ell] = (c == y ? p - 1 : p) * scale;
                }
                acc.add(term);
                counted++;
                correct += arg == y ? 1 : 0;
            }
            chunkCounts[3 * chunk] = correct;
            chunkCounts[3 * chunk + 1] = counted;
            chunkCounts[3 * chunk + 2] = invalid;
        }

        /** Elements [i0, i1) of chunk c: gradient, squared errors, the chunk's counts (none correct). */
        private void squares(Pairwise acc, int chunk, int i0, int i1) {
            int ell = shape.length();
            int perSequence = shape.outputs() * ell;
            long counted = 0;
            long invalid = 0;
            for (int i = i0; i < i1; i++) {
                int b = i / perSequence;
                int t = i % ell;
                int n = ints[b];
                if (n < 1 || n > ell) {
                    grad[i] = Double.NaN;
                    acc.add(Double.NaN);
                    invalid += i == b * perSequence ? 1 : 0;
                } else if (t < n) {
                    double d = out[i] - real[i];
                    grad[i] = 2 * d * scale;
                    acc.add(d * d);
                    counted++;
                } else {
                    grad[i] = 0.0;
                    acc.add(0.0);
                }
            }
            chunkCounts[3 * chunk] = 0;
            chunkCounts[3 * chunk + 1] = counted;
            chunkCounts[3 * chunk + 2] = invalid;
        }

        @Override
        void clear() {
            out = null;
            real = null;
            ints = null;
            grad = null;
        }
    }
}
