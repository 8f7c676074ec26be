package org.rtf4j.bench;

import org.rtf4j.kernels.jvm.JvmExecutor;

/**
 * The float64 host GEMM that {@code train}'s {@code Linear} ran before the GEMM kernel (issue 15): a frozen
 * copy of {@code train/.../nn/Gemm.java} (4×4 register tiles over dot products along a contiguous axis,
 * with transposes) at commit f7bc3d2, and the loops {@code Linear} wrapped around it, bias omitted. Kept
 * here unchanged so that {@link GemmBench} can time today's path next to the kernel even after
 * {@code Linear} moves to the kernel.
 */
final class HostGemmToday {
    private HostGemmToday() {
    }

    /** Linear.forward: y_b = W·x_b per batch (each task transposes its x_b first). */
    static void forward(JvmExecutor host, double[] w, double[] x, double[] y, int batch, int in, int out, int length) {
        host.parallelFor(batch, (worker, from, to) -> {
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(y, b * out * length, (b + 1) * out * length, 0.0);
                double[] xt = new double[in * length];
                transpose(x, b * in * length, in, length, xt, 0);
                accumulateABt(0, out, length, in, w, 0, xt, 0, y, b * out * length, length);
            }
        });
    }

    /** Linear.backward's weight gradient: gW += Σ_b dy_b·x_bᵀ, weight rows in blocks of 8 over the tasks. */
    static void weightGradient(JvmExecutor host, double[] dy, double[] x, double[] gw, int batch, int in, int out,
                               int length) {
        int blocks = (out + 7) / 8;
        host.parallelFor(blocks, (worker, from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int r0 = blk * 8;
                int r1 = Math.min(out, r0 + 8);
                for (int b = 0; b < batch; b++) {
                    accumulateABt(r0, r1, in, length, dy, b * out * length, x, b * in * length, gw, 0, in);
                }
            }
        });
    }

    /** Linear.backward's input gradient: dx_b = Wᵀ·dy_b (Wᵀ once, each task transposes its dy_b). */
    static void inputGradient(JvmExecutor host, double[] w, double[] dy, double[] dx, int batch, int in, int out,
                              int length) {
        double[] wt = new double[in * out];
        transpose(w, 0, out, in, wt, 0);
        host.parallelFor(batch, (worker, from, to) -> {
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(dx, b * in * length, (b + 1) * in * length, 0.0);
                double[] dyt = new double[out * length];
                transpose(dy, b * out * length, out, length, dyt, 0);
                accumulateABt(0, in, length, out, wt, 0, dyt, 0, dx, b * in * length, length);
            }
        });
    }

    static void transpose(double[] src, int sOff, int rows, int cols, double[] dst, int dOff) {
        for (int r0 = 0; r0 < rows; r0 += 32) {
            int r1 = Math.min(rows, r0 + 32);
            for (int c0 = 0; c0 < cols; c0 += 32) {
                int c1 = Math.min(cols, c0 + 32);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        dst[dOff + c * rows + r] = src[sOff + r * cols + c];
                    }
                }
            }
        }
    }

    static void accumulateABt(int r0, int r1, int kk, int n, double[] a, int aOff, double[] b, int bOff, double[] c,
                              int cOff, int ldc) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int k = 0;
            for (; k + 4 <= kk; k += 4) {
                tile4x4(r, k, n, a, aOff, b, bOff, c, cOff, ldc);
            }
            for (; k < kk; k++) {
                for (int q = 0; q < 4; q++) {
                    c[cOff + (r + q) * ldc + k] += dot(n, a, aOff + (r + q) * n, b, bOff + k * n);
                }
            }
        }
        for (; r < r1; r++) {
            for (int k = 0; k < kk; k++) {
                c[cOff + r * ldc + k] += dot(n, a, aOff + r * n, b, bOff + k * n);
            }
        }
    }

    private static void tile4x4(int r, int k, int n, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                                int ldc) {
        int a0 = aOff + r * n;
        int a1 = a0 + n;
        int a2 = a1 + n;
        int a3 = a2 + n;
        int b0 = bOff + k * n;
        int b1 = b0 + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int t = 0; t < n; t++) {
            double x0 = a[a0 + t];
            double x1 = a[a1 + t];
            double x2 = a[a2 + t];
            double x3 = a[a3 + t];
            double y0 = b[b0 + t];
            double y1 = b[b1 + t];
            double y2 = b[b2 + t];
            double y3 = b[b3 + t];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
        }
        int c0 = cOff + r * ldc + k;
        c[c0] += s00;
        c[c0 + 1] += s01;
        c[c0 + 2] += s02;
        c[c0 + 3] += s03;
        c[c0 + ldc] += s10;
        c[c0 + ldc + 1] += s11;
        c[c0 + ldc + 2] += s12;
        c[c0 + ldc + 3] += s13;
        c[c0 + 2 * ldc] += s20;
        c[c0 + 2 * ldc + 1] += s21;
        c[c0 + 2 * ldc + 2] += s22;
        c[c0 + 2 * ldc + 3] += s23;
        c[c0 + 3 * ldc] += s30;
        c[c0 + 3 * ldc + 1] += s31;
        c[c0 + 3 * ldc + 2] += s32;
        c[c0 + 3 * ldc + 3] += s33;
    }

    private static double dot(int n, double[] a, int ao, double[] b, int bo) {
        double s = 0;
        for (int t = 0; t < n; t++) {
            s += a[ao + t] * b[bo + t];
        }
        return s;
    }
}
