package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.Span;

/**
 * The JVM's optimiser and linear-algebra glue (float64 template of the generated float32 twin):
 * {@link org.rtf4j.kernels.backend.KernelId#BIAS_ADD}, {@code BIAS_GRAD}, {@code AXPY}, {@code SUM_SQUARES} and
 * {@code ADAMW}, with the meaning and accuracy stated in {@code Backend}.
 *
 * <h2>The blocked sum</h2>
 * Sums of many elements (a squared norm, a bias gradient's sum over time) follow one fixed order, the same as
 * the OpenCL kernels': a range is cut into chunks of {@value #CHUNK} elements; in a chunk, lane j
 * (0 ≤ j &lt; {@value #LANES}) adds its elements j, j + {@value #LANES}, … (at most {@value #DEPTH}) in order
 * from 0; the lane sums are added in the tree {@code s[j] += s[j + h]}, h = {@value #LANES}/2, …, 1; the chunk sums
 * in chunk order from 0. Lanes without elements hold +0 and the pairs that would add one are skipped, which is
 * exact (no sum here is ever −0). The error is at most (40 + chunks)·u of the sum of magnitudes, where a plain
 * loop over 10⁶ float32 values has 10⁶·u.
 *
 * <h2>Work split and determinism</h2>
 * Elementwise kernels run in units of {@value #BLOCK} elements (bias add: whole rows), spread over the
 * executor's workers; the blocked sum runs one chunk (squared norm) or one row (bias gradient) per unit into a
 * grow-only array of partial sums, which are then combined in index order on one thread. Every value is computed
 * by the same expressions whatever unit or worker it falls on, so results are bit-identical for any thread count.
 */
final class JvmOptimF64 {
    /** Lanes of a chunk of the blocked sum. */
    static final int LANES = 256;
    /** Elements per lane of a chunk. */
    static final int DEPTH = 32;
    /** Elements per chunk of the blocked sum. */
    static final int CHUNK = LANES * DEPTH;
    /** Elements per unit of the elementwise kernels. */
    static final int BLOCK = 4096;

    private final double[][] lanes;
    private double[] chunkSums = new double[0];
    private double[] rowSums = new double[0];
    private final BiasAddTask biasAdd = new BiasAddTask();
    private final BiasGradTask biasGrad = new BiasGradTask();
    private final AxpyTask axpy = new AxpyTask();
    private final SumSquaresTask sumSquares = new SumSquaresTask();
    private final AdamWTask adamW = new AdamWTask();

    /** A kernel set for executors of at most {@code workers} threads. */
    JvmOptimF64(int workers) {
        this.lanes = new double[workers][];
    }

    /** Worker w's lane sums, allocated on its first use. */
    private double[] lanes(int w) {
        double[] l = lanes[w];
        if (l == null) {
            l = new double[LANES];
            lanes[w] = l;
        }
        return l;
    }

    /** Bytes of the per-worker and partial-sum scratch allocated so far. */
    synchronized long scratchBytes() {
        long n = (long) chunkSums.length + rowSums.length;
        for (double[] l : lanes) {
            if (l != null) {
                n += l.length;
            }
        }
        return n * Double.BYTES;
    }

    /**
     * The blocked sum of one chunk, {@code x[from .. to)} (to − from ≤ {@value #CHUNK}), of the squares or of the
     * values, in {@code lane} (at least {@value #LANES} long).
     */
    static double chunkSum(double[] x, int from, int to, boolean square, double[] lane) {
        int live = Math.min(LANES, to - from);
        for (int j = 0; j < live; j++) {
            lane[j] = 0.0;
        }
        for (int r0 = from; r0 < to; r0 += LANES) {
            int m = Math.min(LANES, to - r0);
            if (square) {
                for (int j = 0; j < m; j++) {
                    double v = x[r0 + j];
                    lane[j] += v * v;
                }
            } else {
                for (int j = 0; j < m; j++) {
                    lane[j] += x[r0 + j];
                }
            }
        }
        for (int h = LANES / 2; h >= 1; h >>= 1) {
            int top = live - h;
            for (int j = 0; j < top; j++) {
                lane[j] += lane[j + h];
            }
            if (live > h) {
                live = h;
            }
        }
        return lane[0];
    }

    /** The blocked sum of the values {@code x[from .. from + length)}: its chunks' sums in order from 0. */
    static double rowSum(double[] x, int from, int length, double[] lane) {
        int end = from + length;
        double s = 0.0;
        for (int c = from; c < end; c += CHUNK) {
            s += chunkSum(x, c, Math.min(end, c + CHUNK), false, lane);
        }
        return s;
    }

    /** y = bias (+ y) over (B, C, ℓ) (checked by the caller). */
    synchronized void biasAdd(JvmExecutor executor, BiasShape shape, double[] bias, double[] y, boolean accumulate) {
        BiasAddTask t = biasAdd;
        t.shape = shape;
        t.rowsPerUnit = Math.max(1, BLOCK / shape.length());
        t.bias = bias;
        t.y = y;
        t.accumulate = accumulate;
        t.call(executor);
    }

    /** db[c] += Σ_b Σ_t dy[b,c,t] in the blocked order (checked by the caller). */
    synchronized void biasGrad(JvmExecutor executor, BiasShape shape, double[] dy, double[] db) {
        if (rowSums.length < shape.rows()) {
            rowSums = new double[shape.rows()];
        }
        BiasGradTask t = biasGrad;
        t.shape = shape;
        t.rowsPerUnit = Math.max(1, BLOCK / shape.length());
        t.dy = dy;
        t.db = db;
        t.sums = rowSums;
        t.call(executor);
    }

    /** y[yOffset + i] += α·x[xOffset + i] (checked by the caller). */
    synchronized void axpy(JvmExecutor executor, AxpyShape shape, double/*keep*/ alpha, double[] x, double[] y) {
        AxpyTask t = axpy;
        t.shape = shape;
        t.alpha = (double) alpha;
        t.x = x;
        t.y = y;
        t.call(executor);
    }

    /** partials[slot] = Σ x² over the span, in the blocked order (checked by the caller). */
    synchronized void sumSquares(JvmExecutor executor, Span span, double[] x, double[] partials, int slot) {
        int chunks = (span.count() + CHUNK - 1) / CHUNK;
        if (chunkSums.length < chunks) {
            chunkSums = new double[chunks];
        }
        SumSquaresTask t = sumSquares;
        t.span = span;
        t.x = x;
        t.sums = chunkSums;
        t.call(executor);
        double s = 0.0;
        for (int c = 0; c < chunks; c++) {
            s += chunkSums[c];
        }
        partials[slot] = s;
    }

    /**
     * One AdamW update of the span (checked by the caller); nothing is written when the global norm from the
     * first {@code partialCount} partials is not finite.
     */
    synchronized void adamW(JvmExecutor executor, Span span, AdamWStep step, double[] param, double[] grad, double[] m,
                            double[] v, double[] partials, int partialCount) {
        double s = 0.0;
        for (int i = 0; i < partialCount; i++) {
            s += partials[i];
        }
        double norm = (double) Math.sqrt(s);
        if (!Double.isFinite(norm)) {
            return;
        }
        double maxNorm = (double) step.maxNorm();
        AdamWTask t = adamW;
        t.clip = maxNorm > 0 && norm > maxNorm;
        t.scale = t.clip ? maxNorm / (norm + 1e-12) : 1.0;
        t.span = span;
        t.lr = (double) step.lr();
        t.wd = (double) step.weightDecay();
        t.b1 = (double) step.beta1();
        t.ob1 = (double) step.oneMinusBeta1();
        t.b2 = (double) step.beta2();
        t.ob2 = (double) step.oneMinusBeta2();
        t.eps = (double) step.eps();
        t.c1 = (double) step.c1();
        t.c2 = (double) step.c2();
        t.p = param;
        t.g = grad;
        t.m = m;
        t.v = v;
        t.call(executor);
    }

    /** Bias add over the B·C rows, in units of {@code rowsPerUnit} rows. */
    private static final class BiasAddTask extends KernelTask {
        BiasShape shape;
        int rowsPerUnit;
        double[] bias;
        double[] y;
        boolean accumulate;

        @Override
        int rowCount(int phase) {
            return (shape.rows() + rowsPerUnit - 1) / rowsPerUnit;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int r0 = from * rowsPerUnit;
            int r1 = (int) Math.min(shape.rows(), (long) to * rowsPerUnit);
            int ell = shape.length();
            int ch = shape.channels();
            for (int r = r0; r < r1; r++) {
                double b = bias[r % ch];
                int at = r * ell;
                if (accumulate) {
                    for (int t = 0; t < ell; t++) {
                        y[at + t] = b + y[at + t];
                    }
                } else {
                    java.util.Arrays.fill(y, at, at + ell, b);
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            bias = null;
            y = null;
        }
    }

    /** Bias gradient: phase 0 the rows' blocked sums over t, phase 1 per channel the sums over b in order. */
    private final class BiasGradTask extends KernelTask {
        BiasShape shape;
        int rowsPerUnit;
        double[] dy;
        double[] db;
        double[] sums;

        @Override
        int phases() {
            return 2;
        }

        @Override
        int rowCount(int phase) {
            return phase == 0 ? (shape.rows() + rowsPerUnit - 1) / rowsPerUnit : (shape.channels() + 63) / 64;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int ell = shape.length();
            int ch = shape.channels();
            if (phase == 0) {
                double[] lane = lanes(w);
                int r0 = from * rowsPerUnit;
                int r1 = (int) Math.min(shape.rows(), (long) to * rowsPerUnit);
                for (int r = r0; r < r1; r++) {
                    sums[r] = rowSum(dy, r * ell, ell, lane);
                }
            } else {
                int c1 = Math.min(ch, to * 64);
                for (int c = from * 64; c < c1; c++) {
                    double acc = db[c];
                    for (int b = 0; b < shape.batch(); b++) {
                        acc += sums[b * ch + c];
                    }
                    db[c] = acc;
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            dy = null;
            db = null;
            sums = null;
        }
    }

    /** y += α·x in units of {@link #BLOCK} elements. */
    private static final class AxpyTask extends KernelTask {
        AxpyShape shape;
        double alpha;
        double[] x;
        double[] y;

        @Override
        int rowCount(int phase) {
            return (shape.count() + BLOCK - 1) / BLOCK;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int i0 = from * BLOCK;
            int i1 = (int) Math.min(shape.count(), (long) to * BLOCK);
            int xo = shape.xOffset();
            int yo = shape.yOffset();
            double a = alpha;
            for (int i = i0; i < i1; i++) {
                y[yo + i] = y[yo + i] + a * x[xo + i];
            }
        }

        @Override
        void clear() {
            shape = null;
            x = null;
            y = null;
        }
    }

    /** The chunk sums of squares of a span, one chunk per unit. */
    private final class SumSquaresTask extends KernelTask {
        Span span;
        double[] x;
        double[] sums;

        @Override
        int rowCount(int phase) {
            return (span.count() + CHUNK - 1) / CHUNK;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            double[] lane = lanes(w);
            int end = span.end();
            for (int c = from; c < to; c++) {
                int c0 = span.offset() + c * CHUNK;
                sums[c] = chunkSum(x, c0, Math.min(end, c0 + CHUNK), true, lane);
            }
        }

        @Override
        void clear() {
            span = null;
            x = null;
            sums = null;
        }
    }

    /** The AdamW update in units of {@link #BLOCK} elements. */
    private static final class AdamWTask extends KernelTask {
        Span span;
        boolean clip;
        double scale;
        double lr;
        double wd;
        double b1;
        double ob1;
        double b2;
        double ob2;
        double eps;
        double c1;
        double c2;
        double[] p;
        double[] g;
        double[] m;
        double[] v;

        @Override
        int rowCount(int phase) {
            return (span.count() + BLOCK - 1) / BLOCK;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int i0 = span.offset() + from * BLOCK;
            int i1 = (int) Math.min(span.end(), span.offset() + (long) to * BLOCK);
            for (int i = i0; i < i1; i++) {
                double gi = g[i];
                if (clip) {
                    gi = gi * scale;
                }
                double mi = b1 * m[i] + ob1 * gi;
                double vi = b2 * v[i] + ob2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                double mh = mi / c1;
                double vh = vi / c2;
                double wi = p[i];
                p[i] = wi - lr * (mh / ((double) Math.sqrt(vh) + eps) + wd * wi);
            }
        }

        @Override
        void clear() {
            span = null;
            p = null;
            g = null;
            m = null;
            v = null;
        }
    }
}
