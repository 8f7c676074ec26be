package org.rtf4j.kernels.testing;

import java.util.SplittableRandom;

/**
 * Plain float64 references of the optimiser kernels, written from the host code they replace, not from the
 * kernels: the float64 AdamW update after global-norm clipping (train.optim.AdamW), the bias loops of
 * {@code Linear}, compensated sums (Neumaier) as the "exact" value of a sum, and the blocked summation order the
 * kernels document, written out naively (all 256 lanes, the whole tree) in either precision.
 */
public final class OptimReference {
    /** Lanes, elements per lane and elements per chunk of the documented blocked sum. */
    public static final int LANES = 256;
    public static final int DEPTH = 32;
    public static final int CHUNK = LANES * DEPTH;

    private OptimReference() {
    }

    /** n values uniform in [lo, hi). */
    public static double[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextDouble();
        }
        return x;
    }

    /** Σ x[i] (or x[i]²) over [from, to), compensated (Neumaier): error about 2⁻⁵³ of the result. */
    public static double exactSum(double[] x, int from, int to, boolean square) {
        double s = 0;
        double c = 0;
        for (int i = from; i < to; i++) {
            double v = square ? x[i] * x[i] : x[i];
            double t = s + v;
            c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
            s = t;
        }
        return s + c;
    }

    /** Σ |x[i]| (or x[i]²) over [from, to), in float64. */
    public static double magnitude(double[] x, int from, int to, boolean square) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += square ? x[i] * x[i] : Math.abs(x[i]);
        }
        return s;
    }

    /** The documented blocked sum in float64, naively: every lane from 0, the whole tree, chunks in order. */
    public static double blockedSum64(double[] x, int from, int to, boolean square) {
        double total = 0;
        for (int c0 = from; c0 < to; c0 += CHUNK) {
            int c1 = Math.min(to, c0 + CHUNK);
            double[] lane = new double[LANES];
            for (int j = 0; j < LANES; j++) {
                for (int i = c0 + j; i < c1; i += LANES) {
                    lane[j] += square ? x[i] * x[i] : x[i];
                }
            }
            for (int h = LANES / 2; h >= 1; h /= 2) {
                for (int j = 0; j < h; j++) {
                    lane[j] += lane[j + h];
                }
            }
            total += lane[0];
        }
        return total;
    }

    /** The documented blocked sum in float32 arithmetic (x already float32 values). */
    public static double blockedSum32(double[] x, int from, int to, boolean square) {
        float total = 0;
        for (int c0 = from; c0 < to; c0 += CHUNK) {
            int c1 = Math.min(to, c0 + CHUNK);
            float[] lane = new float[LANES];
            for (int j = 0; j < LANES; j++) {
                for (int i = c0 + j; i < c1; i += LANES) {
                    float v = (float) x[i];
                    lane[j] += square ? v * v : v;
                }
            }
            for (int h = LANES / 2; h >= 1; h /= 2) {
                for (int j = 0; j < h; j++) {
                    lane[j] += lane[j + h];
                }
            }
            total += lane[0];
        }
        return total;
    }

    /** The scalars of one host update: learning rate and weight decay per tensor, shared betas, eps, clipping. */
    public record Hyper(double[] lr, double[] wd, double beta1, double beta2, double eps, double maxNorm) {
    }

    /**
     * One float64 update, global-norm clipping to maxNorm then AdamW (update count {@code step}), on
     * float64 copies: params, moments updated in place; the gradients are not changed (clip works on a copy).
     * Returns the global norm before clipping.
     */
    public static double clipAndStep(double[][] p, double[][] g, double[][] m, double[][] v, Hyper h, long step) {
        double s = 0;
        for (double[] gt : g) {
            for (double x : gt) {
                s += x * x;
            }
        }
        double n = Math.sqrt(s);
        double scale = 1;
        boolean clip = h.maxNorm() > 0 && n > h.maxNorm();
        if (clip) {
            scale = h.maxNorm() / (n + 1e-12);
        }
        double b1 = h.beta1();
        double b2 = h.beta2();
        double c1 = 1.0 - Math.pow(b1, step);
        double c2 = 1.0 - Math.pow(b2, step);
        for (int k = 0; k < p.length; k++) {
            double lr = h.lr()[k];
            double wd = h.wd()[k];
            double[] w = p[k];
            double[] mm = m[k];
            double[] vv = v[k];
            for (int i = 0; i < w.length; i++) {
                double gi = g[k][i];
                if (clip) {
                    gi *= scale;
                }
                mm[i] = b1 * mm[i] + (1 - b1) * gi;
                vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
                double mh = mm[i] / c1;
                double vh = vv[i] / c2;
                w[i] -= lr * (mh / (Math.sqrt(vh) + h.eps()) + wd * w[i]);
            }
        }
        return n;
    }

    /** |m̂/(√v̂ + eps)| per element of tensor k after an update with count {@code step} (the size of the step). */
    public static double[] stepSize(double[] m, double[] v, Hyper h, long step) {
        double c1 = 1.0 - Math.pow(h.beta1(), step);
        double c2 = 1.0 - Math.pow(h.beta2(), step);
        double[] u = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            u[i] = Math.abs((m[i] / c1) / (Math.sqrt(v[i] / c2) + h.eps()));
        }
        return u;
    }

    /** Deep copy. */
    public static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }
}
