package org.rtf4j.kernels.testing;

import java.util.SplittableRandom;

/**
 * Plain float64 references of the normalisation kernels, written from the host model's formulas
 * ({@code train/.../nn/LayerNorm}, {@code BatchNorm}): straight loops in the host's order, ε = 1e-5, momentum 0.1.
 * Signals are (B, C, ℓ) row-major; {@code lengths} null means every position is valid.
 */
public final class NormReference {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private NormReference() {
    }

    /** LayerNorm forward: y, and the per-position mean and invStd (B·ℓ) in {@code mean}, {@code invStd}. */
    public static double[] layerNorm(double[] x, double[] g, double[] be, int batch, int dim, int length, double[] mean,
                                     double[] invStd) {
        double[] y = new double[x.length];
        for (int b = 0; b < batch; b++) {
            int base = b * dim * length;
            for (int t = 0; t < length; t++) {
                double m = 0;
                for (int h = 0; h < dim; h++) {
                    m += x[base + h * length + t];
                }
                m /= dim;
                double var = 0;
                for (int h = 0; h < dim; h++) {
                    double d = x[base + h * length + t] - m;
                    var += d * d;
                }
                var /= dim;
                double is = 1.0 / Math.sqrt(var + EPS);
                if (mean != null) {
                    mean[b * length + t] = m;
                    invStd[b * length + t] = is;
                }
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    y[i] = g[h] * ((x[i] - m) * is) + be[h];
                }
            }
        }
        return y;
    }

    /** LayerNorm backward: dx returned, dγ and dβ added to {@code dg}, {@code db} (the host's formulas). */
    public static double[] layerNormBackward(double[] x, double[] g, double[] dy, int batch, int dim, int length,
                                             double[] dg, double[] db) {
        double[] mean = new double[batch * length];
        double[] invStd = new double[batch * length];
        layerNorm(x, g, new double[dim], batch, dim, length, mean, invStd);
        double[] dx = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < dim; h++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < length; t++) {
                    double xh = (x[o + t] - mean[b * length + t]) * invStd[b * length + t];
                    dg[h] += dy[o + t] * xh;
                    db[h] += dy[o + t];
                }
            }
            int base = b * dim * length;
            for (int t = 0; t < length; t++) {
                double m = mean[b * length + t];
                double is = invStd[b * length + t];
                double m1 = 0;
                double m2 = 0;
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    double dxh = dy[i] * g[h];
                    m1 += dxh;
                    m2 += dxh * ((x[i] - m) * is);
                }
                m1 /= dim;
                m2 /= dim;
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    dx[i] = is * (dy[i] * g[h] - m1 - ((x[i] - m) * is) * m2);
                }
            }
        }
        return dx;
    }

    static int valid(int[] lengths, int b, int length) {
        return lengths == null ? length : Math.min(Math.max(lengths[b], 0), length);
    }

    /**
     * BatchNorm forward: y; {@code mean}, {@code invStd} (C) get the statistics used; in training the running
     * statistics {@code rm}, {@code rv} are updated in place as the host model does.
     */
    public static double[] batchNorm(double[] x, int[] lengths, double[] g, double[] be, double[] rm, double[] rv,
                                     boolean training, int batch, int dim, int length, double[] mean, double[] invStd) {
        long n = 0;
        for (int b = 0; b < batch; b++) {
            n += valid(lengths, b, length);
        }
        double[] y = new double[x.length];
        for (int h = 0; h < dim; h++) {
            double m;
            double var;
            if (training) {
                double s = 0;
                for (int b = 0; b < batch; b++) {
                    int o = (b * dim + h) * length;
                    for (int t = 0; t < valid(lengths, b, length); t++) {
                        s += x[o + t];
                    }
                }
                m = s / n;
                double v = 0;
                for (int b = 0; b < batch; b++) {
                    int o = (b * dim + h) * length;
                    for (int t = 0; t < valid(lengths, b, length); t++) {
                        double d = x[o + t] - m;
                        v += d * d;
                    }
                }
                var = v / n;
                rm[h] = (1 - MOMENTUM) * rm[h] + MOMENTUM * m;
                rv[h] = (1 - MOMENTUM) * rv[h] + MOMENTUM * (n > 1 ? v / (n - 1) : var);
            } else {
                m = rm[h];
                var = rv[h];
            }
            double is = 1.0 / Math.sqrt(var + EPS);
            if (mean != null) {
                mean[h] = m;
                invStd[h] = is;
            }
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < length; t++) {
                    y[o + t] = g[h] * ((x[o + t] - m) * is) + be[h];
                }
            }
        }
        return y;
    }

    /** BatchNorm backward with the forward's statistics (mean, invStd): dx; dγ, dβ added (the host's formulas). */
    public static double[] batchNormBackward(double[] x, int[] lengths, double[] g, double[] mean, double[] invStd,
                                             double[] dy, boolean training, int batch, int dim, int length, double[] dg,
                                             double[] db) {
        long n = 0;
        for (int b = 0; b < batch; b++) {
            n += valid(lengths, b, length);
        }
        double[] dx = new double[x.length];
        for (int h = 0; h < dim; h++) {
            double is = invStd[h];
            double sdy = 0;
            double sdyx = 0;
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < valid(lengths, b, length); t++) {
                    sdy += dy[o + t];
                    sdyx += dy[o + t] * ((x[o + t] - mean[h]) * is);
                }
            }
            dg[h] += sdyx;
            db[h] += sdy;
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < length; t++) {
                    double xh = (x[o + t] - mean[h]) * is;
                    if (training && t < valid(lengths, b, length)) {
                        dx[o + t] = g[h] * is * (dy[o + t] - sdy / n - xh * sdyx / n);
                    } else {
                        dx[o + t] = g[h] * is * dy[o + t];
                    }
                }
            }
        }
        return dx;
    }

    /** Uniform values in [lo, hi). */
    public static double[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** Lengths in [1, ℓ], the first full, the others random (padding in most signals). */
    public static int[] lengths(long seed, int batch, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] l = new int[batch];
        for (int b = 0; b < batch; b++) {
            l[b] = b == 0 ? length : 1 + r.nextInt(length);
        }
        return l;
    }
}
