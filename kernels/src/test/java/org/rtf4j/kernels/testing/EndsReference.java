package org.rtf4j.kernels.testing;

import java.util.SplittableRandom;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;

/**
 * Plain float64 references of the model's ends, as the host model of {@code train} computes them
 * ({@code Embedding}, {@code Pooling}, {@code Loss}): the embedding gather and its scatter-add in the host's
 * (b, t) order, masked mean/last pooling, softmax cross-entropy and MSE with their gradients; exact-ish sums
 * (Neumaier) for the loss totals; and {@link #pairwise}, the serial form of {@link LossShape}'s summation order.
 */
public final class EndsReference {
    private EndsReference() {
    }

    /** Uniform values in [−a, a]. */
    public static double[] uniform(long seed, int n, double a) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * r.nextDouble() - 1) * a;
        }
        return v;
    }

    /** Integers in [lo, hi). */
    public static int[] ints(long seed, int n, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(lo, hi);
        }
        return v;
    }

    /** Sequence lengths in [1, ℓ], the first ℓ (a full sequence) and the second 1 when there are several. */
    public static int[] lengths(long seed, int batch, int ell) {
        int[] n = ints(seed, batch, 1, ell + 1);
        n[0] = ell;
        if (batch > 1) {
            n[1] = 1;
        }
        return n;
    }

    /** The host model's embedding forward. */
    public static double[] embedding(EmbeddingShape s, int[] tokens, double[] table) {
        int h = s.dim();
        int ell = s.length();
        double[] y = new double[s.outputCount()];
        for (int b = 0; b < s.batch(); b++) {
            for (int t = 0; t < ell; t++) {
                int row = tokens[b * ell + t] * h;
                for (int c = 0; c < h; c++) {
                    y[(b * h + c) * ell + t] = table[row + c];
                }
            }
        }
        return y;
    }

    /** The host model's embedding backward: g += dy in (b, t) order, in float64. */
    public static void embeddingBackward(EmbeddingShape s, int[] tokens, double[] dy, double[] g) {
        int h = s.dim();
        int ell = s.length();
        for (int b = 0; b < s.batch(); b++) {
            for (int t = 0; t < ell; t++) {
                int row = tokens[b * ell + t] * h;
                for (int c = 0; c < h; c++) {
                    g[row + c] += dy[(b * h + c) * ell + t];
                }
            }
        }
    }

    /** The same loop in float32 (each addition rounded to float). */
    public static void embeddingBackwardF32(EmbeddingShape s, int[] tokens, double[] dy, double[] g) {
        int h = s.dim();
        int ell = s.length();
        for (int b = 0; b < s.batch(); b++) {
            for (int t = 0; t < ell; t++) {
                int row = tokens[b * ell + t] * h;
                for (int c = 0; c < h; c++) {
                    g[row + c] = (float) g[row + c] + (float) dy[(b * h + c) * ell + t];
                }
            }
        }
    }

    /** Pooling forward, exact-ish mean. */
    public static double[] pool(PoolShape s, int[] lengths, double[] x) {
        int ell = s.length();
        double[] y = new double[s.outputCount()];
        for (int r = 0; r < y.length; r++) {
            int n = lengths[r / s.channels()];
            if (s.mode() == PoolShape.Mode.LAST) {
                y[r] = x[r * ell + n - 1];
            } else {
                double[] row = java.util.Arrays.copyOfRange(x, r * ell, r * ell + n);
                y[r] = exactSum(row) / n;
            }
        }
        return y;
    }

    /** Σ_{t<n}|x| / n per row: the scale of the mean's error bound. */
    public static double[] poolScale(PoolShape s, int[] lengths, double[] x) {
        int ell = s.length();
        double[] m = new double[s.outputCount()];
        for (int r = 0; r < m.length; r++) {
            int n = lengths[r / s.channels()];
            double a = 0;
            for (int t = 0; t < n; t++) {
                a += Math.abs(x[r * ell + t]);
            }
            m[r] = a / n;
        }
        return m;
    }

    /** The host model's pooling backward (g / n at t &lt; n, or g at n − 1; zeros elsewhere). */
    public static double[] poolBackward(PoolShape s, int[] lengths, double[] dy) {
        int ell = s.length();
        double[] dx = new double[s.inputCount()];
        for (int r = 0; r < dy.length; r++) {
            int n = lengths[r / s.channels()];
            if (s.mode() == PoolShape.Mode.LAST) {
                dx[r * ell + n - 1] = dy[r];
            } else {
                java.util.Arrays.fill(dx, r * ell, r * ell + n, dy[r] / n);
            }
        }
        return dx;
    }

    /** A loss in float64: gradient, per-term losses (0 where not counted) and the counts. */
    public record Loss(double[] grad, double[] terms, long correct, long count) {
        /** The exact-ish sum of the terms. */
        public double sum() {
            return exactSum(terms);
        }
    }

    /** Softmax cross-entropy as the host model computes it, targets in [0, K) or negative (ignored). */
    public static Loss crossEntropy(LossShape s, double[] z, int[] targets, double scale) {
        int k = s.outputs();
        int ell = s.length();
        double[] g = new double[s.count()];
        double[] terms = new double[s.positions()];
        long correct = 0;
        long count = 0;
        for (int i = 0; i < s.positions(); i++) {
            int y = targets[i];
            if (y < 0) {
                continue;
            }
            int b = i / ell;
            int base = b * k * ell + i % ell;
            double m = Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int c = 0; c < k; c++) {
                m = Math.max(m, z[base + c * ell]);
                if (z[base + c * ell] > z[base + best * ell]) {
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[base + c * ell] - m);
            }
            terms[i] = m + Math.log(sum) - z[base + y * ell];
            for (int c = 0; c < k; c++) {
                double p = Math.exp(z[base + c * ell] - m) / sum;
                g[base + c * ell] = (p - (c == y ? 1.0 : 0.0)) * scale;
            }
            correct += best == y ? 1 : 0;
            count++;
        }
        return new Loss(g, terms, correct, count);
    }

    /** The per-position terms with the kernels' expression, {@code (m − z_y) + log Σ exp(z_c − m)}, in float64. */
    public static double[] crossEntropyTerms(LossShape s, double[] z, int[] targets) {
        int k = s.outputs();
        int ell = s.length();
        double[] terms = new double[s.positions()];
        for (int i = 0; i < terms.length; i++) {
            int y = targets[i];
            if (y < 0) {
                continue;
            }
            int base = (i / ell) * k * ell + i % ell;
            double m = z[base];
            for (int c = 1; c < k; c++) {
                double v = z[base + c * ell];
                if (v > m) {
                    m = v;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[base + c * ell] - m);
            }
            terms[i] = (m - z[base + y * ell]) + Math.log(sum);
        }
        return terms;
    }

    /** MSE as the host model computes it over t &lt; lengths[b]: gradient 2·d·scale, terms d². */
    public static Loss mse(LossShape s, double[] y, double[] target, int[] lengths, double scale) {
        int ell = s.length();
        double[] g = new double[s.count()];
        double[] terms = new double[s.count()];
        long count = 0;
        for (int i = 0; i < s.count(); i++) {
            int b = i / (s.outputs() * ell);
            if (i % ell < lengths[b]) {
                double d = y[i] - target[i];
                g[i] = 2.0 * d * scale;
                terms[i] = d * d;
                count++;
            }
        }
        return new Loss(g, terms, 0, count);
    }

    /** Neumaier's compensated sum (float64, error about 2ε·Σ|v| independent of n). */
    public static double exactSum(double[] v) {
        double s = 0;
        double c = 0;
        for (double x : v) {
            double t = s + x;
            c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
            s = t;
        }
        return s + c;
    }

    /**
     * {@link LossShape}'s pairwise sum, serially, in float64 ({@code f32} false) or with every operation rounded to
     * float32: blocks of BLOCK terms from 0 left to right, block sums merged by a binary counter, the stack summed
     * from its top.
     */
    public static double pairwise(double[] v, boolean f32) {
        double[] stack = new double[64];
        int depth = 0;
        long blocks = 0;
        for (int i0 = 0; i0 < v.length; i0 += LossShape.BLOCK) {
            double s = 0;
            for (int i = i0; i < Math.min(v.length, i0 + LossShape.BLOCK); i++) {
                s = round(s + v[i], f32);
            }
            long m = ++blocks;
            while ((m & 1) == 0) {
                s = round(stack[--depth] + s, f32);
                m >>= 1;
            }
            stack[depth++] = s;
        }
        if (depth == 0) {
            return 0;
        }
        double t = stack[depth - 1];
        for (int i = depth - 2; i >= 0; i--) {
            t = round(stack[i] + t, f32);
        }
        return t;
    }

    private static double round(double v, boolean f32) {
        return f32 ? (float) v : v;
    }

    /** log2 n, at least 1. */
    public static double log2(long n) {
        return Math.max(1, Math.log(Math.max(2, n)) / Math.log(2));
    }
}
