package org.rtf4j.train.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.Parameter;

/**
 * Batch normalisation per channel over the batch and the valid positions (padding is excluded from the
 * statistics), as PyTorch's {@code BatchNorm1d}: ε = 1e-5, running mean and unbiased running variance
 * with momentum 0.1, used in eval mode. The loops over the channels run on the given host executor.
 */
public final class BatchNorm implements Normalization {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;
    private final String name;
    private final int dim;
    private final Parameter gain;
    private final Parameter bias;
    private final double[] runningMean;
    private final double[] runningVar;
    private final JvmExecutor host;
    private double[] xhat;
    private double[] invStd;
    private int batch;
    private int length;
    private int[] lengths;
    private boolean training;

    public BatchNorm(String name, int dim, JvmExecutor host) {
        this.host = Parallel.require(host, name);
        this.name = name;
        this.dim = dim;
        this.gain = new Parameter(name + ".weight", new int[] {dim}, false);
        this.bias = new Parameter(name + ".bias", new int[] {dim}, false);
        java.util.Arrays.fill(gain.value(), 1.0);
        this.runningMean = new double[dim];
        this.runningVar = new double[dim];
        java.util.Arrays.fill(runningVar, 1.0);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gain, bias);
    }

    @Override
    public Map<String, double[]> buffers() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(name + ".running_mean", runningMean);
        m.put(name + ".running_var", runningVar);
        return m;
    }

    private int valid(int b) {
        return lengths == null ? length : lengths[b];
    }

    @Override
    public double[] forward(double[] x, int batch, int length, int[] lengths, boolean training) {
        Shapes.check("x", x, batch, dim, length);
        this.batch = batch;
        this.length = length;
        this.lengths = lengths;
        this.training = training;
        long count = 0;
        for (int b = 0; b < batch; b++) {
            count += valid(b);
        }
        double[] y = new double[x.length];
        xhat = new double[x.length];
        invStd = new double[dim];
        double[] g = gain.value();
        double[] be = bias.value();
        final long n = count;
        Parallel.forEach(host, dim, h -> {
            double mean;
            double var;
            if (training) {
                double s = 0;
                for (int b = 0; b < batch; b++) {
                    int o = (b * dim + h) * length;
                    for (int t = 0; t < valid(b); t++) {
                        s += x[o + t];
                    }
                }
                mean = s / n;
                double v = 0;
                for (int b = 0; b < batch; b++) {
                    int o = (b * dim + h) * length;
                    for (int t = 0; t < valid(b); t++) {
                        double d = x[o + t] - mean;
                        v += d * d;
                    }
                }
                var = v / n;
                runningMean[h] = (1 - MOMENTUM) * runningMean[h] + MOMENTUM * mean;
                runningVar[h] = (1 - MOMENTUM) * runningVar[h] + MOMENTUM * (n > 1 ? v / (n - 1) : var);
            } else {
                mean = runningMean[h];
                var = runningVar[h];
            }
            double is = 1.0 / Math.sqrt(var + EPS);
            invStd[h] = is;
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < length; t++) {
                    double xh = (x[o + t] - mean) * is;
                    xhat[o + t] = xh;
                    y[o + t] = g[h] * xh + be[h];
                }
            }
        });
        return y;
    }

    @Override
    public double[] backward(double[] dy) {
        Shapes.check("dy", dy, batch, dim, length);
        double[] g = gain.value();
        double[] gg = gain.grad();
        double[] gb = bias.grad();
        double[] dx = new double[dy.length];
        long count = 0;
        for (int b = 0; b < batch; b++) {
            count += valid(b);
        }
        final long n = count;
        Parallel.forEach(host, dim, h -> {
            double sdy = 0;
            double sdyx = 0;
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < valid(b); t++) {
                    sdy += dy[o + t];
                    sdyx += dy[o + t] * xhat[o + t];
                }
            }
            gg[h] += sdyx;
            gb[h] += sdy;
            double is = invStd[h];
            for (int b = 0; b < batch; b++) {
                int o = (b * dim + h) * length;
                for (int t = 0; t < length; t++) {
                    boolean in = t < valid(b);
                    if (training && in) {
                        dx[o + t] = g[h] * is * (dy[o + t] - sdy / n - xhat[o + t] * sdyx / n);
                    } else {
                        // eval mode, or padding (outside the statistics): an affine map
                        dx[o + t] = g[h] * is * dy[o + t];
                    }
                }
            }
        });
        return dx;
    }
}
