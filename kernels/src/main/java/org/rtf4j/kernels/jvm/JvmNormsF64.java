package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.Philox;

/**
 * The JVM's normalisation and dropout kernels (float64 template of the generated float32 twin):
 * {@link org.rtf4j.kernels.backend.KernelId#LAYER_NORM}, {@code LAYER_NORM_BACKWARD}, {@code BATCH_NORM},
 * {@code BATCH_NORM_BACKWARD}, {@code DROPOUT}, {@code DROPOUT_BACKWARD} and {@code MASK_PADDING}, with the
 * formulas of the host model's {@code LayerNorm}, {@code BatchNorm} and {@code Dropout} (ε = 1e-5, momentum 0.1).
 *
 * <h2>Work split and determinism</h2>
 * LayerNorm works in units of (b, block of {@value #TBLOCK} positions): the statistics of a block of positions
 * are accumulated over the channels in channel order (the host's order, so float64 is bit for bit the host's),
 * with the inner loop along t (contiguous). Sums over positions (BatchNorm's statistics, every dγ and dβ) run
 * in two fixed steps whatever the thread count: each row (b, c) is summed over its positions in chunks of
 * {@link NormShape#CHUNK} (each chunk in order, the chunk sums in order) into a row partial, rows spread over
 * the workers; then per channel the B row partials are added in order of b. Every other output is computed
 * by one expression per element, so the results are bit-identical on any thread count. The tasks, the row
 * partials and the per-worker accumulators are kept between calls: a call at a seen shape allocates nothing.
 *
 * <h2>Dropout</h2>
 * The mask is {@link DropoutShape}'s: one Philox4x32-10 call per four consecutive mask indices, keep iff the
 * top 24 bits of the index's word are at least {@link DropoutShape#threshold()}; kept elements are multiplied
 * by the scale rounded to this precision, dropped ones by 0 (as the host's {@code m·x}).
 */
final class JvmNormsF64 {
    /** LayerNorm's and BatchNorm's ε. */
    static final double EPS = 1e-5;
    /** BatchNorm's momentum of the running statistics. */
    static final double MOMENTUM = 0.1;
    /** Positions per LayerNorm unit. */
    static final int TBLOCK = 256;
    /** Elements per dropout and mask unit (a multiple of 4). */
    static final int BLOCK = 4096;

    private static final int LN = 0;
    private static final int LN_BACKWARD = 1;
    private static final int BN = 2;
    private static final int BN_BACKWARD = 3;
    private static final int MASK = 4;

    private final NormTask task;
    private final DropoutTask dropoutTask;

    JvmNormsF64(int workers) {
        this.task = new NormTask(workers);
        this.dropoutTask = new DropoutTask(workers);
    }

    /** LayerNorm forward (arguments checked by the caller; y may be x). */
    synchronized void layerNorm(JvmExecutor ex, NormShape s, double[] x, double[] gamma, double[] beta, double[] y,
                                double[] mean, double[] invStd) {
        NormTask t = task;
        t.set(LN, s, null, false);
        t.x = x;
        t.gamma = gamma;
        t.beta = beta;
        t.out = y;
        t.mean = mean;
        t.invStd = invStd;
        t.call(ex);
    }

    /** LayerNorm backward (checked by the caller; dx may be dy; dGamma and dBeta accumulate). */
    synchronized void layerNormBackward(JvmExecutor ex, NormShape s, double[] x, double[] gamma, double[] mean,
                                        double[] invStd, double[] dy, double[] dx, double[] dGamma, double[] dBeta) {
        NormTask t = task;
        t.set(LN_BACKWARD, s, null, false);
        t.x = x;
        t.gamma = gamma;
        t.mean = mean;
        t.invStd = invStd;
        t.dy = dy;
        t.out = dx;
        t.dGamma = dGamma;
        t.dBeta = dBeta;
        t.call(ex);
    }

    /** BatchNorm forward (checked by the caller; lengths null = all valid; y may be x). */
    synchronized void batchNorm(JvmExecutor ex, NormShape s, boolean training, double[] x, int[] lengths, double[] gamma,
                                double[] beta, double[] runningMean, double[] runningVar, double[] y, double[] mean,
                                double[] invStd) {
        NormTask t = task;
        t.set(BN, s, lengths, training);
        t.x = x;
        t.gamma = gamma;
        t.beta = beta;
        t.runningMean = runningMean;
        t.runningVar = runningVar;
        t.out = y;
        t.mean = mean;
        t.invStd = invStd;
        t.call(ex);
    }

    /** BatchNorm backward (checked by the caller; lengths null = all valid; dx may be dy). */
    synchronized void batchNormBackward(JvmExecutor ex, NormShape s, boolean training, double[] x, int[] lengths,
                                        double[] gamma, double[] mean, double[] invStd, double[] dy, double[] dx,
                                        double[] dGamma, double[] dBeta) {
        NormTask t = task;
        t.set(BN_BACKWARD, s, lengths, training);
        t.x = x;
        t.gamma = gamma;
        t.mean = mean;
        t.invStd = invStd;
        t.dy = dy;
        t.out = dx;
        t.dGamma = dGamma;
        t.dBeta = dBeta;
        t.call(ex);
    }

    /** Zeroes t ≥ lengths[b] of x in place. */
    synchronized void maskPadding(JvmExecutor ex, NormShape s, int[] lengths, double[] x) {
        NormTask t = task;
        t.set(MASK, s, lengths, false);
        t.out = x;
        t.call(ex);
    }

    /** out = in·mask·scale (the forward and the backward alike; out may be in). */
    synchronized void dropout(JvmExecutor ex, DropoutShape s, double scale, double[] in, double[] out) {
        DropoutTask t = dropoutTask;
        t.shape = s;
        t.threshold = s.threshold();
        t.scale = scale;
        t.in = in;
        t.out = out;
        t.call(ex);
    }

    /** Valid positions of signal b: lengths[b] clamped to [0, ℓ], or ℓ without lengths. */
    static int valid(int[] lengths, int b, int ell) {
        return lengths == null ? ell : Math.min(Math.max(lengths[b], 0), ell);
    }

    /** The normalisation kernels and the padding mask, as phases over rows, position blocks or channels. */
    private static final class NormTask extends KernelTask {
        private final double[][] acc;
        private double[] rowA = new double[0];
        private double[] rowB = new double[0];
        private double[] chanA = new double[0];
        private double[] chanB = new double[0];
        int kind;
        int batch;
        int channels;
        int length;
        int blocks;
        int count;
        boolean training;
        int[] lengths;
        double[] x;
        double[] gamma;
        double[] beta;
        double[] runningMean;
        double[] runningVar;
        double[] mean;
        double[] invStd;
        double[] dy;
        double[] out;
        double[] dGamma;
        double[] dBeta;

        NormTask(int workers) {
            acc = new double[Math.max(1, workers)][2 * TBLOCK];
        }

        void set(int kind, NormShape s, int[] lengths, boolean training) {
            this.kind = kind;
            this.batch = s.batch();
            this.channels = s.channels();
            this.length = s.length();
            this.blocks = (length + TBLOCK - 1) / TBLOCK;
            this.lengths = lengths;
            this.training = training;
            int rows = s.rows();
            if (rowA.length < rows) {
                rowA = new double[rows];
                rowB = new double[rows];
            }
            if (chanA.length < channels) {
                chanA = new double[channels];
                chanB = new double[channels];
            }
            int n = 0;
            for (int b = 0; b < batch; b++) {
                n += valid(lengths, b, length);
            }
            this.count = n;
        }

        @Override
        int phases() {
            switch (kind) {
                case LN:
                case MASK:
                    return 1;
                case LN_BACKWARD:
                case BN_BACKWARD:
                    return 3;
                default:
                    return 5;
            }
        }

        @Override
        int rowCount(int phase) {
            int rows = batch * channels;
            switch (kind) {
                case LN:
                    return batch * blocks;
                case MASK:
                    return rows;
                case LN_BACKWARD:
                    return phase == 0 ? rows : phase == 1 ? 1 : batch * blocks;
                case BN_BACKWARD:
                    return phase == 1 ? 1 : rows;
                default:
                    // BN: 0 sums, 1 mean, 2 squared deviations, 3 variance and running update, 4 output
                    if (phase == 0 || phase == 2) {
                        return training ? rows : 0;
                    }
                    return phase == 4 ? rows : 1;
            }
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            switch (kind) {
                case LN -> {
                    for (int u = from; u < to; u++) {
                        layerNormBlock(u / blocks, u % blocks);
                    }
                }
                case LN_BACKWARD -> {
                    if (phase == 0) {
                        for (int r = from; r < to; r++) {
                            layerNormRowSums(r);
                        }
                    } else if (phase == 1) {
                        channelTotals(false);
                    } else {
                        for (int u = from; u < to; u++) {
                            layerNormBackwardBlock(u / blocks, u % blocks, acc[w]);
                        }
                    }
                }
                case BN -> batchNormPhase(phase, from, to);
                case BN_BACKWARD -> {
                    if (phase == 0) {
                        for (int r = from; r < to; r++) {
                            batchNormBackwardRowSums(r);
                        }
                    } else if (phase == 1) {
                        channelTotals(true);
                    } else {
                        for (int r = from; r < to; r++) {
                            batchNormBackwardRow(r);
                        }
                    }
                }
                default -> {
                    for (int r = from; r < to; r++) {
                        int v = valid(lengths, r / channels, length);
                        int o = r * length;
                        for (int t = v; t < length; t++) {
                            out[o + t] = 0;
                        }
                    }
                }
            }
        }

        @Override
        void clear() {
            lengths = null;
            x = null;
            gamma = null;
            beta = null;
            runningMean = null;
            runningVar = null;
            mean = null;
            invStd = null;
            dy = null;
            out = null;
            dGamma = null;
            dBeta = null;
        }

        /** LayerNorm of positions [t0, t1) of signal b; mean and invStd double as the accumulators. */
        private void layerNormBlock(int b, int block) {
            int ell = length;
            int c = channels;
            int t0 = block * TBLOCK;
            int t1 = Math.min(ell, t0 + TBLOCK);
            int base = b * c * ell;
            int o = b * ell;
            for (int t = t0; t < t1; t++) {
                mean[o + t] = 0;
                invStd[o + t] = 0;
            }
            for (int h = 0; h < c; h++) {
                int row = base + h * ell;
                for (int t = t0; t < t1; t++) {
                    mean[o + t] += x[row + t];
                }
            }
            for (int t = t0; t < t1; t++) {
                mean[o + t] /= c;
            }
            for (int h = 0; h < c; h++) {
                int row = base + h * ell;
                for (int t = t0; t < t1; t++) {
                    double d = x[row + t] - mean[o + t];
                    invStd[o + t] += d * d;
                }
            }
            for (int t = t0; t < t1; t++) {
                double var = invStd[o + t] / c;
                invStd[o + t] = 1.0 / (double) Math.sqrt(var + EPS);
            }
            for (int h = 0; h < c; h++) {
                int row = base + h * ell;
                double g = gamma[h];
                double be = beta[h];
                for (int t = t0; t < t1; t++) {
                    double xh = (x[row + t] - mean[o + t]) * invStd[o + t];
                    out[row + t] = g * xh + be;
                }
            }
        }

        /** Row partials of LayerNorm's dγ (Σ dy·x̂) and dβ (Σ dy) for row r = (b, c), in chunks. */
        private void layerNormRowSums(int r) {
            int ell = length;
            int o = (r / channels) * ell;
            int row = r * ell;
            double sg = 0;
            double sb = 0;
            for (int t0 = 0; t0 < ell; t0 += NormShape.CHUNK) {
                int t1 = Math.min(ell, t0 + NormShape.CHUNK);
                double cg = 0;
                double cb = 0;
                for (int t = t0; t < t1; t++) {
                    double g = dy[row + t];
                    double xh = (x[row + t] - mean[o + t]) * invStd[o + t];
                    cg += g * xh;
                    cb += g;
                }
                sg += cg;
                sb += cb;
            }
            rowA[r] = sg;
            rowB[r] = sb;
        }

        /**
         * Per channel, the row partials added in order of b (rowA → dGamma, rowB → dBeta); with {@code keep}
         * the totals are also kept in chanA (Σ rowA) and chanB (Σ rowB) for BatchNorm's dx.
         */
        private void channelTotals(boolean keep) {
            int c = channels;
            for (int h = 0; h < c; h++) {
                double sa = 0;
                double sb = 0;
                for (int b = 0; b < batch; b++) {
                    sa += rowA[b * c + h];
                    sb += rowB[b * c + h];
                }
                dGamma[h] += sa;
                dBeta[h] += sb;
                if (keep) {
                    chanA[h] = sa;
                    chanB[h] = sb;
                }
            }
        }

        /** LayerNorm's dx at positions [t0, t1) of signal b, with the accumulators m1, m2 in a. */
        private void layerNormBackwardBlock(int b, int block, double[] a) {
            int ell = length;
            int c = channels;
            int t0 = block * TBLOCK;
            int t1 = Math.min(ell, t0 + TBLOCK);
            int n = t1 - t0;
            int base = b * c * ell;
            int o = b * ell;
            for (int j = 0; j < 2 * n; j++) {
                a[j] = 0;
            }
            for (int h = 0; h < c; h++) {
                int row = base + h * ell;
                double g = gamma[h];
                for (int t = t0; t < t1; t++) {
                    double xh = (x[row + t] - mean[o + t]) * invStd[o + t];
                    double dxh = dy[row + t] * g;
                    a[t - t0] += dxh;
                    a[n + t - t0] += dxh * xh;
                }
            }
            for (int j = 0; j < 2 * n; j++) {
                a[j] /= c;
            }
            for (int h = 0; h < c; h++) {
                int row = base + h * ell;
                double g = gamma[h];
                for (int t = t0; t < t1; t++) {
                    double is = invStd[o + t];
                    double xh = (x[row + t] - mean[o + t]) * is;
                    out[row + t] = is * (dy[row + t] * g - a[t - t0] - xh * a[n + t - t0]);
                }
            }
        }

        /** BatchNorm forward, phase by phase (the phases of rowCount). */
        private void batchNormPhase(int phase, int from, int to) {
            int c = channels;
            int n = count;
            switch (phase) {
                case 0 -> {
                    for (int r = from; r < to; r++) {
                        rowA[r] = validRowSum(r, null);
                    }
                }
                case 1 -> {
                    for (int h = 0; h < c; h++) {
                        if (training) {
                            double s = 0;
                            for (int b = 0; b < batch; b++) {
                                s += rowA[b * c + h];
                            }
                            mean[h] = s / n;
                        } else {
                            mean[h] = runningMean[h];
                        }
                    }
                }
                case 2 -> {
                    for (int r = from; r < to; r++) {
                        rowA[r] = validRowSum(r, mean);
                    }
                }
                case 3 -> {
                    for (int h = 0; h < c; h++) {
                        double var;
                        if (training) {
                            double v = 0;
                            for (int b = 0; b < batch; b++) {
                                v += rowA[b * c + h];
                            }
                            var = v / n;
                            runningMean[h] = (1 - MOMENTUM) * runningMean[h] + MOMENTUM * mean[h];
                            runningVar[h] = (1 - MOMENTUM) * runningVar[h] + MOMENTUM * (n > 1 ? v / (n - 1) : var);
                        } else {
                            var = runningVar[h];
                        }
                        invStd[h] = 1.0 / (double) Math.sqrt(var + EPS);
                    }
                }
                default -> {
                    int ell = length;
                    for (int r = from; r < to; r++) {
                        int h = r % c;
                        int row = r * ell;
                        double m = mean[h];
                        double is = invStd[h];
                        double g = gamma[h];
                        double be = beta[h];
                        for (int t = 0; t < ell; t++) {
                            double xh = (x[row + t] - m) * is;
                            out[row + t] = g * xh + be;
                        }
                    }
                }
            }
        }

        /** Σ x (centre null) or Σ (x − centre[c])² over the valid positions of row r, in chunks. */
        private double validRowSum(int r, double[] centre) {
            int ell = length;
            int v = valid(lengths, r / channels, ell);
            int row = r * ell;
            double s = 0;
            if (centre == null) {
                for (int t0 = 0; t0 < v; t0 += NormShape.CHUNK) {
                    int t1 = Math.min(v, t0 + NormShape.CHUNK);
                    double cs = 0;
                    for (int t = t0; t < t1; t++) {
                        cs += x[row + t];
                    }
                    s += cs;
                }
            } else {
                double m = centre[r % channels];
                for (int t0 = 0; t0 < v; t0 += NormShape.CHUNK) {
                    int t1 = Math.min(v, t0 + NormShape.CHUNK);
                    double cs = 0;
                    for (int t = t0; t < t1; t++) {
                        double d = x[row + t] - m;
                        cs += d * d;
                    }
                    s += cs;
                }
            }
            return s;
        }

        /** Row partials of BatchNorm's Σ dy·x̂ (rowA) and Σ dy (rowB) over the valid positions of row r. */
        private void batchNormBackwardRowSums(int r) {
            int ell = length;
            int h = r % channels;
            int v = valid(lengths, r / channels, ell);
            int row = r * ell;
            double m = mean[h];
            double is = invStd[h];
            double sg = 0;
            double sb = 0;
            for (int t0 = 0; t0 < v; t0 += NormShape.CHUNK) {
                int t1 = Math.min(v, t0 + NormShape.CHUNK);
                double cg = 0;
                double cb = 0;
                for (int t = t0; t < t1; t++) {
                    double g = dy[row + t];
                    double xh = (x[row + t] - m) * is;
                    cg += g * xh;
                    cb += g;
                }
                sg += cg;
                sb += cb;
            }
            rowA[r] = sg;
            rowB[r] = sb;
        }

        /** BatchNorm's dx on row r: through the statistics at valid positions in training, affine elsewhere. */
        private void batchNormBackwardRow(int r) {
            int ell = length;
            int h = r % channels;
            int v = training ? valid(lengths, r / channels, ell) : 0;
            int row = r * ell;
            int n = count;
            double m = mean[h];
            double is = invStd[h];
            double g = gamma[h];
            double sdyx = chanA[h];
            double sdy = chanB[h];
            for (int t = 0; t < v; t++) {
                double xh = (x[row + t] - m) * is;
                out[row + t] = g * is * (dy[row + t] - sdy / n - xh * sdyx / n);
            }
            for (int t = v; t < ell; t++) {
                out[row + t] = g * is * dy[row + t];
            }
        }
    }

    /** Dropout over the mask indices, four per Philox call, in units of {@link #BLOCK} elements. */
    private static final class DropoutTask extends KernelTask {
        private final int[][] words;
        DropoutShape shape;
        int threshold;
        double scale;
        double[] in;
        double[] out;

        DropoutTask(int workers) {
            words = new int[Math.max(1, workers)][4];
        }

        /** Rows (b, c) per unit when tied: a multiple of 4, about BLOCK elements. */
        private int rowsPerUnit() {
            int r = Math.max(1, BLOCK / shape.length());
            return (r + 3) & ~3;
        }

        @Override
        int rowCount(int phase) {
            if (shape.tied()) {
                int rows = shape.batch() * shape.channels();
                int per = rowsPerUnit();
                return (rows + per - 1) / per;
            }
            return (int) (((long) shape.count() + BLOCK - 1) / BLOCK);
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            DropoutShape s = shape;
            int[] word = words[w];
            int k0 = s.key0();
            int k1 = s.key1();
            int c1 = s.layer();
            int c2 = s.step0();
            int c3 = s.step1();
            int th = threshold;
            double keep = scale;
            if (th == 0) {
                // p = 0: every element kept with scale 1, no draw needed (the same products as with the draws)
                int n = s.count();
                int i0 = s.tied() ? (int) Math.min(n, (long) from * rowsPerUnit() * s.length()) : from * BLOCK;
                int i1 = s.tied() ? (int) Math.min(n, (long) to * rowsPerUnit() * s.length()) : (int) Math.min(n, (long) to * BLOCK);
                for (int i = i0; i < i1; i++) {
                    out[i] = in[i] * keep;
                }
                return;
            }
            if (s.tied()) {
                int rows = s.batch() * s.channels();
                int per = rowsPerUnit();
                int r0 = from * per;
                int r1 = (int) Math.min(rows, (long) to * per);
                int ell = s.length();
                for (int r = r0; r < r1; r++) {
                    if ((r & 3) == 0 || r == r0) {
                        Philox.philox4x32x10(r >>> 2, c1, c2, c3, k0, k1, word);
                    }
                    double m = (word[r & 3] >>> 8) >= th ? keep : 0;
                    int o = r * ell;
                    for (int t = 0; t < ell; t++) {
                        out[o + t] = in[o + t] * m;
                    }
                }
            } else {
                int n = s.count();
                int i0 = from * BLOCK;
                int i1 = (int) Math.min(n, (long) to * BLOCK);
                for (int i = i0; i < i1; i += 4) {
                    Philox.philox4x32x10(i >>> 2, c1, c2, c3, k0, k1, word);
                    int e = Math.min(i1, i + 4);
                    for (int j = i; j < e; j++) {
                        double m = (word[j & 3] >>> 8) >= th ? keep : 0;
                        out[j] = in[j] * m;
                    }
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            in = null;
            out = null;
        }
    }
}
