package org.rtf4j.kernels.fft;

import java.util.Arrays;

/**
 * Four-step transforms of power-of-two length n (float64 template; {@code FourStepF32} is generated from
 * it): complex transforms, and real ones two rows at a time.
 *
 * <p>Real rows x and y are transformed together as the complex row z = x + i y, and their spectra are
 * separated afterwards: X_k = (Z_k + conj Z_{n-k}) / 2, Y_k = (Z_k - conj Z_{n-k}) / 2i. The complex
 * transform is a four-step split n = n1 · n2 (t = n2·a + b, k = k1 + n1·k2): n2-long row arrays indexed by
 * a take length-n1 transforms across the rows, each row is multiplied by the twiddles w_n^(b·k1), one
 * transpose makes n1-long rows indexed by b, and length-n2 transforms across those rows finish it. The
 * butterflies are radix-2 decimation in frequency, in place, so each pass leaves its rows in bit-reversed
 * order, which only changes which row array is read next. Every butterfly loop runs along whole row
 * arrays from index 0, the one loop shape C2 vectorises (a loop whose arrays carry different index
 * offsets stays scalar); loads, the transpose and the separation are scalar passes.
 *
 * <p>The inverse runs the same forward transform on conj(Z) and conjugates the result, 1/n scaled.
 *
 * <p>Paired rows share their rounding: each row's error is relative to the larger of the two, so a row far
 * smaller than its partner is less accurate than on its own (the tested bound is on {@link FourStepPlan}).
 * The convolution therefore pairs batch rows of the same channel.
 */
public final class FourStepF64 {
    private FourStepF64() {
    }

    /** One thread's working rows for one length: never shared between threads. */
    public static final class Work {
        final int n;
        final double[][] aRe;
        final double[][] aIm;
        final double[][] dRe;
        final double[][] dIm;

        /** Rows for {@code plan}'s length: 4n numbers. */
        public Work(FourStepPlan plan) {
            this.n = plan.n;
            this.aRe = new double[plan.n1][plan.n2];
            this.aIm = new double[plan.n1][plan.n2];
            this.dRe = new double[plan.n2][plan.n1];
            this.dIm = new double[plan.n2][plan.n1];
        }

        /** The length these rows serve. */
        public int length() {
            return n;
        }
    }

    /**
     * Forward real transforms of {@code x[xo .. xo + len)} and {@code y[yo .. yo + len)}, each zero-padded
     * to n, into n/2 + 1 interleaved bins at {@code sx[sxo ..]} and {@code sy[syo ..]}; 0 &le; len &le; n.
     */
    public static void realForward(FourStepPlan plan, Work w, double[] x, int xo, double[] y, int yo, int len,
                                   double[] sx, int sxo, double[] sy, int syo) {
        int n1 = plan.n1;
        int n2 = plan.n2;
        // with len <= n/2 the upper half of the rows is zero: not loaded, and the first stage of butterflies
        // only copies and twiddles the lower half into it
        boolean upperZero = 2 * len <= plan.n;
        int loaded = upperZero ? n1 / 2 : n1;
        for (int a = 0; a < loaded; a++) {
            int c = Math.min(n2, Math.max(0, len - n2 * a));
            if (c > 0) {
                System.arraycopy(x, xo + n2 * a, w.aRe[a], 0, c);
                System.arraycopy(y, yo + n2 * a, w.aIm[a], 0, c);
            }
            Arrays.fill(w.aRe[a], c, n2, 0.0);
            Arrays.fill(w.aIm[a], c, n2, 0.0);
        }
        transform(plan, w, upperZero);
        // k = k1 + n1*k2 and its mirror n - k: for k1 = 0 it is row (n2 - k2) mod n2, element 0; for
        // k1 > 0 it is row n2 - 1 - k2, element n1 - k1 (rows in their bit-reversed places)
        int[] rev2 = plan.rev2;
        double[][] dRe = w.dRe;
        double[][] dIm = w.dIm;
        int ox = sxo;
        int oy = syo;
        for (int k2 = 0; k2 <= n2 / 2; k2++) {
            double[] zr = dRe[rev2[k2]];
            double[] zi = dIm[rev2[k2]];
            int r0 = rev2[(n2 - k2) & (n2 - 1)];
            double mr = dRe[r0][0];
            double mi = dIm[r0][0];
            sx[ox] = 0.5 * (zr[0] + mr);
            sx[ox + 1] = 0.5 * (zi[0] - mi);
            sy[oy] = 0.5 * (zi[0] + mi);
            sy[oy + 1] = -0.5 * (zr[0] - mr);
            ox += 2;
            oy += 2;
            if (k2 == n2 / 2) {
                break;
            }
            double[] mRe = dRe[rev2[n2 - 1 - k2]];
            double[] mIm = dIm[rev2[n2 - 1 - k2]];
            for (int k1 = 1; k1 < n1; k1++) {
                double ar = zr[k1];
                double ai = zi[k1];
                double br = mRe[n1 - k1];
                double bi = mIm[n1 - k1];
                sx[ox] = 0.5 * (ar + br);
                sx[ox + 1] = 0.5 * (ai - bi);
                sy[oy] = 0.5 * (ai + bi);
                sy[oy + 1] = -0.5 * (ar - br);
                ox += 2;
                oy += 2;
            }
        }
    }

    /**
     * Inverse real transforms of n/2 + 1 interleaved bins at {@code sx[sxo ..]} and {@code sy[syo ..]}
     * (not modified; the imaginary parts of bins 0 and n/2 are ignored) into the first {@code len} of n
     * samples, scaled by 1/n, at {@code x[xo ..]} and {@code y[yo ..]}; 0 &le; len &le; n.
     */
    public static void realInverse(FourStepPlan plan, Work w, double[] sx, int sxo, double[] sy, int syo,
                                   double[] x, int xo, double[] y, int yo, int len) {
        int n = plan.n;
        int n1 = plan.n1;
        int n2 = plan.n2;
        double[][] aRe = w.aRe;
        double[][] aIm = w.aIm;
        // conj(Z) with Z_k = X_k + i Y_k and, above n/2, X_k = conj X_{n-k} (likewise Y). k = n2*a + b; its
        // mirror n - k is row (n1 - a) mod n1, element 0 for b = 0, else row n1 - 1 - a, element n2 - b.
        int ix = sxo;
        int iy = syo;
        for (int a = 0; a <= n1 / 2; a++) {
            double[] zr = aRe[a];
            double[] zi = aIm[a];
            // b = 0: k = n2*a, real-only bins at k = 0 and k = n/2
            boolean edge = a == 0 || a == n1 / 2;
            double xr = sx[ix];
            double xi = edge ? 0.0 : sx[ix + 1];
            double yr = sy[iy];
            double yi = edge ? 0.0 : sy[iy + 1];
            zr[0] = xr - yi;
            zi[0] = -(xi + yr);
            if (!edge) {
                aRe[n1 - a][0] = xr + yi;
                aIm[n1 - a][0] = xi - yr;
            }
            ix += 2;
            iy += 2;
            if (a == n1 / 2) {
                break;
            }
            double[] mRe = aRe[n1 - 1 - a];
            double[] mIm = aIm[n1 - 1 - a];
            for (int b = 1; b < n2; b++) {
                xr = sx[ix];
                xi = sx[ix + 1];
                yr = sy[iy];
                yi = sy[iy + 1];
                zr[b] = xr - yi;
                zi[b] = -(xi + yr);
                mRe[n2 - b] = xr + yi;
                mIm[n2 - b] = xi - yr;
                ix += 2;
                iy += 2;
            }
        }
        transform(plan, w, false);
        double s = 1.0 / n;
        for (int k2 = 0; k2 < plan.n2; k2++) {
            int t0 = n1 * k2;
            int c = Math.min(n1, len - t0);
            if (c <= 0) {
                break;
            }
            int r = plan.rev2[k2];
            System.arraycopy(w.dRe[r], 0, x, xo + t0, c);
            System.arraycopy(w.dIm[r], 0, y, yo + t0, c);
            for (int i = xo + t0; i < xo + t0 + c; i++) {
                x[i] *= s;
            }
            for (int i = yo + t0; i < yo + t0 + c; i++) {
                y[i] *= -s;
            }
        }
    }

    /**
     * In-place complex transform of the n interleaved numbers at {@code data[off .. off + 2n)}: the
     * forward one, or the inverse scaled by 1/n (the forward transform of the conjugate, conjugated).
     */
    public static void complex(FourStepPlan plan, Work w, double[] data, int off, boolean inverse) {
        int n1 = plan.n1;
        int n2 = plan.n2;
        double sign = inverse ? -1.0 : 1.0;
        for (int a = 0; a < n1; a++) {
            double[] re = w.aRe[a];
            double[] im = w.aIm[a];
            int o = off + 2 * n2 * a;
            for (int b = 0; b < n2; b++) {
                re[b] = data[o + 2 * b];
                im[b] = sign * data[o + 2 * b + 1];
            }
        }
        transform(plan, w, false);
        double sr = inverse ? 1.0 / plan.n : 1.0;
        double si = inverse ? -sr : 1.0;
        for (int k2 = 0; k2 < n2; k2++) {
            double[] re = w.dRe[plan.rev2[k2]];
            double[] im = w.dIm[plan.rev2[k2]];
            int o = off + 2 * n1 * k2;
            for (int k1 = 0; k1 < n1; k1++) {
                data[o + 2 * k1] = sr * re[k1];
                data[o + 2 * k1 + 1] = si * im[k1];
            }
        }
    }

    /**
     * The complex forward transform of the rows in {@code w.aRe/aIm} (t = n2·a + b) into
     * {@code w.dRe/dIm}: Z_{k1 + n1·k2} = D[rev2[k2]][k1]. The A rows are overwritten; with
     * {@code upperZero} only the lower n1/2 of them are read (the upper ones are taken as zero).
     */
    private static void transform(FourStepPlan plan, Work w, boolean upperZero) {
        int n1 = plan.n1;
        int n2 = plan.n2;
        double[][] aRe = w.aRe;
        double[][] aIm = w.aIm;
        double[][] dRe = w.dRe;
        double[][] dIm = w.dIm;
        butterflies(aRe, aIm, n1, plan.stage1F64, n2, upperZero);
        int[] rev1 = plan.rev1;
        for (int k1 = 1; k1 < n1; k1++) {
            double[] cr = aRe[rev1[k1]];
            double[] ci = aIm[rev1[k1]];
            double[] tr = plan.twReF64[k1];
            double[] ti = plan.twImF64[k1];
            for (int b = 0; b < n2; b++) {
                double u = cr[b];
                double v = ci[b];
                cr[b] = u * tr[b] - v * ti[b];
                ci[b] = u * ti[b] + v * tr[b];
            }
        }
        // transpose, four source rows at a time (n1 >= 32 is a multiple of 4)
        for (int k1 = 0; k1 < n1; k1 += 4) {
            double[] c0 = aRe[rev1[k1]];
            double[] c1 = aRe[rev1[k1 + 1]];
            double[] c2 = aRe[rev1[k1 + 2]];
            double[] c3 = aRe[rev1[k1 + 3]];
            double[] e0 = aIm[rev1[k1]];
            double[] e1 = aIm[rev1[k1 + 1]];
            double[] e2 = aIm[rev1[k1 + 2]];
            double[] e3 = aIm[rev1[k1 + 3]];
            for (int b = 0; b < n2; b++) {
                double[] dr = dRe[b];
                double[] di = dIm[b];
                dr[k1] = c0[b];
                dr[k1 + 1] = c1[b];
                dr[k1 + 2] = c2[b];
                dr[k1 + 3] = c3[b];
                di[k1] = e0[b];
                di[k1 + 1] = e1[b];
                di[k1 + 2] = e2[b];
                di[k1 + 3] = e3[b];
            }
        }
        butterflies(dRe, dIm, n2, plan.stage2F64, n1, false);
    }

    /**
     * In-place radix-2 decimation-in-frequency transform of length m across the row arrays
     * {@code re[0 .. m)}, {@code im[0 .. m)}, element by element along {@code len}: natural order in,
     * bit-reversed row order out; with {@code upperZero} rows m/2 .. m-1 are taken as zero and never read.
     * (Fusing pairs of stages into radix-4 halves the passes but makes the loop body too large for C2 to
     * vectorise: it ran at well under the speed of the radix-2 passes.)
     */
    private static void butterflies(double[][] re, double[][] im, int m, double[] st, int len, boolean upperZero) {
        int s0 = 0;
        if (upperZero) {
            // first stage with zero rows m/2 .. m-1: p stays, q = p w^j
            int h = m / 2;
            for (int j = 0; j < h; j++) {
                double[] pr = re[j];
                double[] pi = im[j];
                double[] qr = re[j + h];
                double[] qi = im[j + h];
                double c = st[2 * j];
                double d = st[2 * j + 1];
                for (int v = 0; v < len; v++) {
                    double ar = pr[v];
                    double ai = pi[v];
                    qr[v] = ar * c - ai * d;
                    qi[v] = ar * d + ai * c;
                }
            }
            s0 = 1;
        }
        for (int s = s0, h = m >> (s0 + 1); h >= 1; s++, h /= 2) {
            int o = FourStepPlan.stageOffset(m, s);
            for (int blk = 0; blk < m; blk += 2 * h) {
                pass(re[blk], im[blk], re[blk + h], im[blk + h], len);
                for (int j = 1; j < h; j++) {
                    double[] pr = re[blk + j];
                    double[] pi = im[blk + j];
                    double[] qr = re[blk + j + h];
                    double[] qi = im[blk + j + h];
                    double c = st[2 * (o + j)];
                    double d = st[2 * (o + j) + 1];
                    for (int v = 0; v < len; v++) {
                        double ar = pr[v];
                        double ai = pi[v];
                        double br = qr[v];
                        double bi = qi[v];
                        pr[v] = ar + br;
                        pi[v] = ai + bi;
                        double tr = ar - br;
                        double ti = ai - bi;
                        qr[v] = tr * c - ti * d;
                        qi[v] = tr * d + ti * c;
                    }
                }
            }
        }
    }

    /** The butterfly without a twiddle (j = 0). */
    private static void pass(double[] pr, double[] pi, double[] qr, double[] qi, int len) {
        for (int v = 0; v < len; v++) {
            double ar = pr[v];
            double ai = pi[v];
            double br = qr[v];
            double bi = qi[v];
            pr[v] = ar + br;
            pi[v] = ai + bi;
            qr[v] = ar - br;
            qi[v] = ai - bi;
        }
    }
}
