package org.rtf4j.train.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.layer.Parameter;

/**
 * Channel mixing applied at every position: {@code y[b,o,t] = Σ_i W[o,i]·x[b,i,t] + bias[o]} on (B, C, ℓ)
 * signals, time contiguous. Initialised as PyTorch's {@code nn.Linear}: U(−1/√in, 1/√in) for both.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private double[] x;
    private int batch;
    private int length;

    public Linear(String name, int in, int out, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": in and out must be ≥ 1, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight", new int[] {out, in}, false);
        this.bias = new Parameter(name + ".bias", new int[] {out}, false);
        double s = 1.0 / Math.sqrt(in);
        double[] w = weight.value();
        for (int i = 0; i < w.length; i++) {
            w[i] = s * (2.0 * rng.nextDouble() - 1.0);
        }
        double[] bv = bias.value();
        for (int i = 0; i < bv.length; i++) {
            bv[i] = s * (2.0 * rng.nextDouble() - 1.0);
        }
    }

    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** y (B, out, ℓ) from x (B, in, ℓ); keeps x for the backward pass. */
    public double[] forward(double[] x, int batch, int length) {
        Shapes.check("x", x, batch, in, length);
        this.x = x;
        this.batch = batch;
        this.length = length;
        double[] y = new double[batch * out * length];
        double[] w = weight.value();
        double[] bv = bias.value();
        Parallel.forEach(batch, b -> {
            for (int o = 0; o < out; o++) {
                int yo = (b * out + o) * length;
                java.util.Arrays.fill(y, yo, yo + length, bv[o]);
                for (int i = 0; i < in; i++) {
                    double wi = w[o * in + i];
                    int xo = (b * in + i) * length;
                    for (int t = 0; t < length; t++) {
                        y[yo + t] += wi * x[xo + t];
                    }
                }
            }
        });
        return y;
    }

    /** dx from dy; accumulates the weight and bias gradients. */
    public double[] backward(double[] dy) {
        Shapes.check("dy", dy, batch, out, length);
        double[] w = weight.value();
        double[] gw = weight.grad();
        double[] gb = bias.grad();
        double[] xs = x;
        // each output row is owned by one task and summed over the batch in order: deterministic
        Parallel.forEach(out, o -> {
            double sb = 0;
            for (int b = 0; b < batch; b++) {
                int yo = (b * out + o) * length;
                for (int t = 0; t < length; t++) {
                    sb += dy[yo + t];
                }
                for (int i = 0; i < in; i++) {
                    int xo = (b * in + i) * length;
                    double s = 0;
                    for (int t = 0; t < length; t++) {
                        s += dy[yo + t] * xs[xo + t];
                    }
                    gw[o * in + i] += s;
                }
            }
            gb[o] += sb;
        });
        double[] dx = new double[batch * in * length];
        Parallel.forEach(batch, b -> {
            for (int o = 0; o < out; o++) {
                int yo = (b * out + o) * length;
                for (int i = 0; i < in; i++) {
                    double wi = w[o * in + i];
                    int xo = (b * in + i) * length;
                    for (int t = 0; t < length; t++) {
                        dx[xo + t] += wi * dy[yo + t];
                    }
                }
            }
        });
        return dx;
    }
}
