package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.ActivationShape;

/**
 * The JVM's elementwise activations (float64 template of the generated float32 twin):
 * {@link org.rtf4j.kernels.backend.KernelId#GELU}, {@code GELU_BACKWARD}, {@code GLU} and {@code GLU_BACKWARD}.
 *
 * <h2>Formulas</h2>
 * GELU (tanh form) with one exponential and no {@code Math.tanh} (which on JDK 17 is a slow library call,
 * while {@code Math.exp} is an intrinsic). With {@code u = √(2/π)·(x + 0.044715·x³)},
 * {@code s = σ(2u) = ½(1 + tanh u)} is computed from {@code w = exp(−2|u|)}, which never overflows:
 * {@code r = 1/(1 + w)}, {@code s = r} for u ≥ 0 and {@code w·r} otherwise, and {@code s·(1 − s) = w·r²}
 * either way (no cancellation). Then
 * <pre>
 *   gelu(x)  = x·s
 *   gelu'(x) = s + 2x·(w·r²)·√(2/π)·(1 + 3·0.044715·x²)      (½(1 − tanh²u) = 2s(1 − s))
 * </pre>
 * For large |x|, w underflows to 0 and the results are exactly x or −0 and (until x² overflows, past
 * |x| ≈ 1e154 in float64, 1e19 in float32, where the derivative is NaN as in the textbook form) 1 or 0; a NaN
 * in x gives NaN.
 * GLU's σ is the host model's: {@code 1/(1 + e)} for v ≥ 0, {@code e/(1 + e)} otherwise, {@code e = exp(−|v|)},
 * bit for bit the same as computing exp(−v) or exp(v) on the two branches.
 *
 * <h2>Work split</h2>
 * GELU runs in units of {@value #BLOCK} consecutive elements, GLU in units of whole rows (b, h) of ℓ
 * positions, at least {@value #BLOCK} elements of output per unit when ℓ is shorter; the units are spread
 * over the executor's workers. Every element is computed by the same expression whatever unit it falls in,
 * so the result does not depend on the thread count. The loop tasks are reused: a call allocates nothing.
 */
final class JvmActivationsF64 {
    /** Elements per unit of work. */
    static final int BLOCK = 4096;
    /** √(2/π), rounded to this precision. */
    static final double C = (double) Math.sqrt(2.0 / Math.PI);
    /** The cubic coefficient of the tanh form. */
    static final double A = 0.044715;
    /** 3·A, as the host model wrote it. */
    static final double A3 = 3.0 * 0.044715;

    private final GeluTask gelu = new GeluTask();
    private final GluTask glu = new GluTask();

    /** y = gelu(x) over shape.count() elements (checked by the caller; y may be x). */
    synchronized void gelu(JvmExecutor executor, ActivationShape shape, double[] x, double[] y) {
        GeluTask t = gelu;
        t.backward = false;
        t.n = shape.count();
        t.x = x;
        t.dy = null;
        t.out = y;
        t.call(executor);
    }

    /** dx = dy·gelu'(x) over shape.count() elements (checked by the caller; any may alias). */
    synchronized void geluBackward(JvmExecutor executor, ActivationShape shape, double[] x, double[] dy, double[] dx) {
        GeluTask t = gelu;
        t.backward = true;
        t.n = shape.count();
        t.x = x;
        t.dy = dy;
        t.out = dx;
        t.call(executor);
    }

    /** y (B, C/2, ℓ) = a·σ(g) from x (B, C, ℓ) (checked by the caller; C even, y not x). */
    synchronized void glu(JvmExecutor executor, ActivationShape shape, double[] x, double[] y) {
        GluTask t = glu;
        t.set(shape, false, x, null, y);
        t.call(executor);
    }

    /** dx (B, C, ℓ) from x (B, C, ℓ) and dy (B, C/2, ℓ) (checked by the caller; dx neither x nor dy). */
    synchronized void gluBackward(JvmExecutor executor, ActivationShape shape, double[] x, double[] dy, double[] dx) {
        GluTask t = glu;
        t.set(shape, true, x, dy, dx);
        t.call(executor);
    }

    /** GELU or its backward over [0, n) in units of {@link #BLOCK}. */
    private static final class GeluTask extends KernelTask {
        boolean backward;
        int n;
        double[] x;
        double[] dy;
        double[] out;

        @Override
        int rowCount(int phase) {
            return (int) (((long) n + BLOCK - 1) / BLOCK);
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int i0 = from * BLOCK;
            int i1 = (int) Math.min(n, (long) to * BLOCK);
            if (backward) {
                backward(x, dy, out, i0, i1);
            } else {
                forward(x, out, i0, i1);
            }
        }

        @Override
        void clear() {
            x = null;
            dy = null;
            out = null;
        }

        private static void forward(double[] x, double[] y, int i0, int i1) {
            for (int i = i0; i < i1; i++) {
                double v = x[i];
                double u = C * (v + A * v * v * v);
                double w = (double) Math.exp(-2.0 * Math.abs(u));
                double r = 1.0 / (1.0 + w);
                y[i] = v * (u >= 0 ? r : w * r);
            }
        }

        private static void backward(double[] x, double[] dy, double[] dx, int i0, int i1) {
            for (int i = i0; i < i1; i++) {
                double v = x[i];
                double u = C * (v + A * v * v * v);
                double w = (double) Math.exp(-2.0 * Math.abs(u));
                double r = 1.0 / (1.0 + w);
                double s = u >= 0 ? r : w * r;
                double d = s + 2.0 * v * (w * r * r) * C * (1.0 + A3 * v * v);
                dx[i] = dy[i] * d;
            }
        }
    }

    /** GLU or its backward over the B·C/2 output rows, in units of {@code rowsPerUnit} rows. */
    private static final class GluTask extends KernelTask {
        boolean backward;
        int rows;
        int half;
        int length;
        int rowsPerUnit;
        double[] x;
        double[] dy;
        double[] out;

        void set(ActivationShape shape, boolean backward, double[] x, double[] dy, double[] out) {
            this.backward = backward;
            this.half = shape.half();
            this.length = shape.length();
            this.rows = shape.batch() * half;
            this.rowsPerUnit = Math.max(1, BLOCK / length);
            this.x = x;
            this.dy = dy;
            this.out = out;
        }

        @Override
        int rowCount(int phase) {
            return (rows + rowsPerUnit - 1) / rowsPerUnit;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int r0 = from * rowsPerUnit;
            int r1 = (int) Math.min(rows, (long) to * rowsPerUnit);
            int ell = length;
            for (int r = r0; r < r1; r++) {
                int b = r / half;
                int ia = (r + b * half) * ell;      // row (b, h) of the a half: (b·2H + h)·ℓ
                int ig = ia + half * ell;
                int iy = r * ell;
                if (backward) {
                    backwardRow(x, dy, out, ia, ig, iy, ell);
                } else {
                    forwardRow(x, out, ia, ig, iy, ell);
                }
            }
        }

        @Override
        void clear() {
            x = null;
            dy = null;
            out = null;
        }

        private static void forwardRow(double[] x, double[] y, int ia, int ig, int iy, int ell) {
            for (int t = 0; t < ell; t++) {
                y[iy + t] = x[ia + t] * sigmoid(x[ig + t]);
            }
        }

        private static void backwardRow(double[] x, double[] dy, double[] dx, int ia, int ig, int iy, int ell) {
            for (int t = 0; t < ell; t++) {
                double s = sigmoid(x[ig + t]);
                double g = dy[iy + t];
                double a = x[ia + t];
                dx[ia + t] = g * s;
                dx[ig + t] = g * a * s * (1.0 - s);
            }
        }

        private static double sigmoid(double v) {
            double e = (double) Math.exp(-Math.abs(v));
            return v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        }
    }
}
