package org.rtf4j.kernels.jvm;

import java.util.Arrays;
import org.rtf4j.kernels.dense.GemmShape;

/**
 * The JVM's {@link org.rtf4j.kernels.backend.KernelId#GEMM} (float64 template of the generated float32
 * twin): a blocked matrix product whose inner loops C2 vectorises.
 *
 * <h2>Blocking</h2>
 * The output is cut into units of at most {@value #MB} rows × {@value #NC} columns of one C (per batch, or
 * the one C the batches are summed into); the units are spread over the executor's workers. A unit keeps
 * its running sums in {@value #MB} packed rows ({@code acc[r][0 .. nc)}) and, per batch and per slice of at
 * most {@value #KC} contracted indices, packs the slice of op(B) it needs into {@code panel[p][0 .. nc)}
 * (the copy also undoes a transposed B). The inner loop then runs over j for four rows of C and two
 * contracted indices at once:
 * <pre>
 *   c0[j] = c0[j] + a00·x0[j] + a01·x1[j]     (and rows c1, c2, c3)
 * </pre>
 * every array indexed by j from 0, the one loop shape C2 turns into vector loads, multiplies and adds
 * (README, Conventions); the A values are scalars read in place. The body is kept this small on purpose:
 * C2 unrolls, and so vectorises, only loops of few nodes ({@code LoopUnrollLimit}) and, for a body of this
 * size, only with a constant trip count: full panels loop to the constant {@value #NC}. Four rows by four
 * indices, or a variable bound, measured 2.5 to 3 times slower, unvectorised. A C narrower than a panel
 * and taller than wide is computed transposed (Cᵀ = op(B)ᵀ·op(A)ᵀ, stored back transposed), so that its
 * panels are full; the sums are the same. Per unit the panel is reused by all its
 * rows and the packed rows stay in the first-level cache.
 *
 * <h2>Determinism</h2>
 * The additions above run left to right, so each element is the plain running sum over (batch, p) in
 * order, whatever the blocking, the unit boundaries or the number of workers: the result is bit-identical
 * to a naive triple loop in this precision and independent of the thread count. Then
 * {@code c = α·s + β·c} (the old c not read when β = 0). α and β are rounded to this precision.
 *
 * <h2>Memory</h2>
 * Per worker that ran a unit: the panel and the packed rows, ({@value #KC} + {@value #MB})·{@value #NC}
 * values, allocated on its first unit and reused; a steady-state call allocates nothing.
 */
final class JvmGemmF64 {
    /** Rows of C per unit. */
    static final int MB = 32;
    /** Columns of C per unit (the width of a packed row). */
    static final int NC = 128;
    /** Contracted indices per packed panel. */
    static final int KC = 256;

    private final Work[] work;
    private final Task task = new Task();

    /** A kernel for executors of {@code workers} threads; it keeps no reference to an executor. */
    JvmGemmF64(int workers) {
        this.work = new Work[workers];
    }

    /** One worker's panel and packed rows. */
    private static final class Work {
        final double[][] panel = new double[KC][NC];
        final double[][] acc = new double[MB][NC];
    }

    /** Bytes of the per-worker scratch allocated so far. */
    long scratchBytes() {
        long n = 0;
        for (Work w : work) {
            if (w != null) {
                n += (long) (KC + MB) * NC * Double.BYTES;
            }
        }
        return n;
    }

    /**
     * C = α·op(A)·op(B) + β·C over the shape's batches (arguments checked by the caller), on {@code executor},
     * which has at most the workers this kernel was made for.
     */
    synchronized void gemm(JvmExecutor executor, GemmShape shape, double[] a, double[] b, double[] c) {
        Task t = task;
        // a narrow C (n < NC) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ when that is wider: full-width panels
        boolean swap = shape.n() < NC && shape.m() > shape.n();
        t.swapped = swap;
        t.m = swap ? shape.n() : shape.m();
        t.n = swap ? shape.m() : shape.n();
        t.k = shape.k();
        t.batch = shape.batch();
        t.reduce = shape.reducesBatches();
        t.outputs = shape.outputs();
        t.a = swap ? b : a;
        t.transA = swap ? !shape.transB() : shape.transA();
        t.lda = swap ? shape.ldb() : shape.lda();
        t.aOff = swap ? shape.bOffset() : shape.aOffset();
        t.strideA = swap ? shape.strideB() : shape.strideA();
        t.b = swap ? a : b;
        t.transB = swap ? !shape.transA() : shape.transB();
        t.ldb = swap ? shape.lda() : shape.ldb();
        t.bOff = swap ? shape.aOffset() : shape.bOffset();
        t.strideB = swap ? shape.strideA() : shape.strideB();
        t.c = c;
        t.ldc = shape.ldc();
        t.cOff = shape.cOffset();
        t.strideC = shape.strideC();
        t.alpha = (double) shape.alpha();
        t.beta = (double) shape.beta();
        t.rowBlocks = (t.m + MB - 1) / MB;
        t.colPanels = (t.n + NC - 1) / NC;
        t.call(executor);
    }

    /**
     * The product as computed: op(A) m×k times op(B) k×n into an m×n block of C, which is stored transposed
     * when {@code swapped} (then A, B, m and n here are the shape's B, A, n and m).
     */
    private final class Task extends KernelTask {
        boolean swapped;
        int m;
        int n;
        int k;
        int batch;
        boolean reduce;
        int outputs;
        double[] a;
        boolean transA;
        int lda;
        int aOff;
        int strideA;
        double[] b;
        boolean transB;
        int ldb;
        int bOff;
        int strideB;
        double[] c;
        int ldc;
        int cOff;
        int strideC;
        double alpha;
        double beta;
        int rowBlocks;
        int colPanels;

        @Override
        int rowCount(int phase) {
            return outputs * rowBlocks * colPanels;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            Work wk = work[w];
            if (wk == null) {
                wk = new Work();
                work[w] = wk;
            }
            int perOutput = rowBlocks * colPanels;
            for (int u = from; u < to; u++) {
                int o = u / perOutput;
                int rb = (u % perOutput) / colPanels;
                int cp = u % colPanels;
                int i0 = rb * MB;
                int j0 = cp * NC;
                unit(wk, o, i0, Math.min(m, i0 + MB), j0, Math.min(n, j0 + NC));
            }
        }

        @Override
        void clear() {
            a = null;
            b = null;
            c = null;
        }

        /** Rows [i0, i1) × columns [j0, j1) of output o. */
        private void unit(Work wk, int o, int i0, int i1, int j0, int j1) {
            int rows = i1 - i0;
            int nc = j1 - j0;
            double[][] acc = wk.acc;
            double[][] panel = wk.panel;
            for (int r = 0; r < rows; r++) {
                Arrays.fill(acc[r], 0, nc, 0.0);
            }
            int b0 = reduce ? 0 : o;
            int b1 = reduce ? batch : o + 1;
            for (int bb = b0; bb < b1; bb++) {
                int aBase = aOff + bb * strideA;
                int bBase = bOff + bb * strideB;
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int kc = Math.min(KC, k - p0);
                    pack(panel, bBase, p0, kc, j0, nc);
                    int r = 0;
                    for (; r + 4 <= rows; r += 4) {
                        rows4(acc, r, panel, aBase, i0 + r, p0, kc, nc);
                    }
                    for (; r < rows; r++) {
                        row1(acc[r], panel, aBase, i0 + r, p0, kc, nc);
                    }
                }
            }
            double[] cc = c;
            int cBase = cOff + o * strideC;
            int rowStep = swapped ? 1 : ldc;
            int colStep = swapped ? ldc : 1;
            for (int r = 0; r < rows; r++) {
                double[] ar = acc[r];
                int at = cBase + (i0 + r) * rowStep + j0 * colStep;
                if (beta == 0.0) {
                    for (int j = 0; j < nc; j++) {
                        cc[at + j * colStep] = alpha * ar[j];
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        cc[at + j * colStep] = alpha * ar[j] + beta * cc[at + j * colStep];
                    }
                }
            }
        }

        /** panel[p][j] = op(B)[p0 + p][j0 + j] for p &lt; kc, j &lt; nc. */
        private void pack(double[][] panel, int bBase, int p0, int kc, int j0, int nc) {
            double[] bb = b;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(bb, bBase + (p0 + p) * ldb + j0, panel[p], 0, nc);
                }
            } else {
                // row by row of the panel: a strided gather over nc rows of B, whose cache lines serve the next
                // contracted indices too
                int l = ldb;
                for (int p = 0; p < kc; p++) {
                    double[] row = panel[p];
                    int src = bBase + j0 * l + p0 + p;
                    for (int j = 0; j < nc; j++) {
                        row[j] = bb[src + j * l];
                    }
                }
            }
        }

        /** op(A)[i][p] of the batch at aBase. */
        private double aAt(int aBase, int i, int p) {
            return transA ? a[aBase + p * lda + i] : a[aBase + i * lda + p];
        }

        /**
         * Packed rows r .. r+3 (rows i .. i+3 of C) += op(A)[i.., p0 .. p0+kc) · panel, two contracted indices
         * per pass over j. The loops over a full panel run to the constant {@link #NC}: C2 unrolls, and so
         * vectorises, a loop of this body only when its trip count is a constant (a variable bound measured
         * about 3 times slower, unvectorised); a last, narrower panel takes the same loop to nc.
         */
        private void rows4(double[][] acc, int r, double[][] panel, int aBase, int i, int p0, int kc, int nc) {
            double[] c0 = acc[r];
            double[] c1 = acc[r + 1];
            double[] c2 = acc[r + 2];
            double[] c3 = acc[r + 3];
            int p = 0;
            for (; p + 2 <= kc; p += 2) {
                double[] x0 = panel[p];
                double[] x1 = panel[p + 1];
                int q = p0 + p;
                double a00 = aAt(aBase, i, q);
                double a01 = aAt(aBase, i, q + 1);
                double a10 = aAt(aBase, i + 1, q);
                double a11 = aAt(aBase, i + 1, q + 1);
                double a20 = aAt(aBase, i + 2, q);
                double a21 = aAt(aBase, i + 2, q + 1);
                double a30 = aAt(aBase, i + 3, q);
                double a31 = aAt(aBase, i + 3, q + 1);
                if (nc == NC) {
                    for (int j = 0; j < NC; j++) {
                        double y0 = x0[j];
                        double y1 = x1[j];
                        c0[j] = c0[j] + a00 * y0 + a01 * y1;
                        c1[j] = c1[j] + a10 * y0 + a11 * y1;
                        c2[j] = c2[j] + a20 * y0 + a21 * y1;
                        c3[j] = c3[j] + a30 * y0 + a31 * y1;
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        double y0 = x0[j];
                        double y1 = x1[j];
                        c0[j] = c0[j] + a00 * y0 + a01 * y1;
                        c1[j] = c1[j] + a10 * y0 + a11 * y1;
                        c2[j] = c2[j] + a20 * y0 + a21 * y1;
                        c3[j] = c3[j] + a30 * y0 + a31 * y1;
                    }
                }
            }
            for (; p < kc; p++) {
                double[] x0 = panel[p];
                int q = p0 + p;
                double a0 = aAt(aBase, i, q);
                double a1 = aAt(aBase, i + 1, q);
                double a2 = aAt(aBase, i + 2, q);
                double a3 = aAt(aBase, i + 3, q);
                for (int j = 0; j < nc; j++) {
                    double y0 = x0[j];
                    c0[j] = c0[j] + a0 * y0;
                    c1[j] = c1[j] + a1 * y0;
                    c2[j] = c2[j] + a2 * y0;
                    c3[j] = c3[j] + a3 * y0;
                }
            }
        }

        /** One packed row (row i of C) += op(A)[i, p0 .. p0+kc) · panel. */
        private void row1(double[] c0, double[][] panel, int aBase, int i, int p0, int kc, int nc) {
            int p = 0;
            for (; p + 4 <= kc; p += 4) {
                double[] x0 = panel[p];
                double[] x1 = panel[p + 1];
                double[] x2 = panel[p + 2];
                double[] x3 = panel[p + 3];
                int q = p0 + p;
                double a00 = aAt(aBase, i, q);
                double a01 = aAt(aBase, i, q + 1);
                double a02 = aAt(aBase, i, q + 2);
                double a03 = aAt(aBase, i, q + 3);
                if (nc == NC) {
                    for (int j = 0; j < NC; j++) {
                        c0[j] = c0[j] + a00 * x0[j] + a01 * x1[j] + a02 * x2[j] + a03 * x3[j];
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        c0[j] = c0[j] + a00 * x0[j] + a01 * x1[j] + a02 * x2[j] + a03 * x3[j];
                    }
                }
            }
            for (; p < kc; p++) {
                double[] x0 = panel[p];
                double a0 = aAt(aBase, i, p0 + p);
                for (int j = 0; j < nc; j++) {
                    c0[j] = c0[j] + a0 * x0[j];
                }
            }
        }
    }
}
