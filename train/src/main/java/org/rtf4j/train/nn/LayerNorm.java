package org.rtf4j.train.nn;

import java.util.List;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.Parameter;

/**
 * Normalisation over the channels at every position, with gain and bias (ε = 1e-5, as PyTorch); the loops
 * over the batch run on the given host executor.
 */
public final class LayerNorm implements Normalization {
    private static final double EPS = 1e-5;
    private final int dim;
    private final Parameter gain;
    private final Parameter bias;
    private final JvmExecutor host;
    private double[] xhat;
    private double[] invStd;
    private int batch;
    private int length;

    public LayerNorm(String name, int dim, JvmExecutor host) {
        this.host = Parallel.require(host, name);
        this.dim = dim;
        this.gain = new Parameter(name + ".weight", new int[] {dim}, false);
        this.bias = new Parameter(name + ".bias", new int[] {dim}, false);
        java.util.Arrays.fill(gain.value(), 1.0);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gain, bias);
    }

    @Override
    public double[] forward(double[] x, int batch, int length, int[] lengths, boolean training) {
        return forward(x, batch, length);
    }

    public double[] forward(double[] x, int batch, int length) {
        Shapes.check("x", x, batch, dim, length);
        this.batch = batch;
        this.length = length;
        xhat = new double[x.length];
        invStd = new double[batch * length];
        double[] y = new double[x.length];
        double[] g = gain.value();
        double[] be = bias.value();
        Parallel.forEach(host, batch, b -> {
            int base = b * dim * length;
            for (int t = 0; t < length; t++) {
                double mean = 0;
                for (int h = 0; h < dim; h++) {
                    mean += x[base + h * length + t];
                }
                mean /= dim;
                double var = 0;
                for (int h = 0; h < dim; h++) {
                    double d = x[base + h * length + t] - mean;
                    var += d * d;
                }
                var /= dim;
                double is = 1.0 / Math.sqrt(var + EPS);
                invStd[b * length + t] = is;
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    double xh = (x[i] - mean) * is;
                    xhat[i] = xh;
                    y[i] = g[h] * xh + be[h];
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
        double[] gbias = bias.grad();
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < dim; h++) {
                int o = (b * dim + h) * length;
                double sg = 0;
                double sb = 0;
                for (int t = 0; t < length; t++) {
                    sg += dy[o + t] * xhat[o + t];
                    sb += dy[o + t];
                }
                gg[h] += sg;
                gbias[h] += sb;
            }
        }
        double[] dx = new double[dy.length];
        Parallel.forEach(host, batch, b -> {
            int base = b * dim * length;
            for (int t = 0; t < length; t++) {
                double m1 = 0;
                double m2 = 0;
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    double dxh = dy[i] * g[h];
                    m1 += dxh;
                    m2 += dxh * xhat[i];
                }
                m1 /= dim;
                m2 /= dim;
                double is = invStd[b * length + t];
                for (int h = 0; h < dim; h++) {
                    int i = base + h * length + t;
                    dx[i] = is * (dy[i] * g[h] - m1 - xhat[i] * m2);
                }
            }
        });
        return dx;
    }
}
