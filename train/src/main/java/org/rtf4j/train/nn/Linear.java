package org.rtf4j.train.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.Parameter;

/**
 * Channel mixing applied at every position: {@code y[b,o,t] = Σ_i W[o,i]·x[b,i,t] + bias[o]} on (B, C, ℓ)
 * signals, time contiguous. Initialised as PyTorch's {@code nn.Linear}: U(−1/√in, 1/√in) for both. The
 * loops over the batch and the weight rows run on the given host executor.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final JvmExecutor host;
    private double[] x;
    private int batch;
    private int length;

    public Linear(String name, int in, int out, SplittableRandom rng, JvmExecutor host) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": in and out must be ≥ 1, got in=" + in + ", out=" + out);
        }
        this.host = Parallel.require(host, name);
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
        Parallel.forEach(host, batch, b -> {
            for (int o = 0; o < out; o++) {
                int yo = (b * out + o) * length;
                java.util.Arrays.fill(y, yo, yo + length, bv[o]);
            }
            double[] xt = new double[in * length];
            Gemm.transpose(x, b * in * length, in, length, xt, 0);
            Gemm.accumulateABt(0, out, length, in, w, 0, xt, 0, y, b * out * length, length);
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
        // weight rows are split in blocks of 8 over the tasks and summed over the batch in order: deterministic
        int blocks = (out + 7) / 8;
        Parallel.forEach(host, blocks, blk -> {
            int r0 = blk * 8;
            int r1 = Math.min(out, r0 + 8);
            for (int b = 0; b < batch; b++) {
                Gemm.accumulateABt(r0, r1, in, length, dy, b * out * length, xs, b * in * length, gw, 0, in);
                for (int o = r0; o < r1; o++) {
                    int yo = (b * out + o) * length;
                    double sb = 0;
                    for (int t = 0; t < length; t++) {
                        sb += dy[yo + t];
                    }
                    gb[o] += sb;
                }
            }
        });
        double[] dx = new double[batch * in * length];
        // dx[i, t] = Σ_o Wᵀ[i, o]·dyᵀ[t, o]
        double[] wt = new double[in * out];
        Gemm.transpose(w, 0, out, in, wt, 0);
        Parallel.forEach(host, batch, b -> {
            double[] dyt = new double[out * length];
            Gemm.transpose(dy, b * out * length, out, length, dyt, 0);
            Gemm.accumulateABt(0, in, length, out, wt, 0, dyt, 0, dx, b * in * length, length);
        });
        return dx;
    }
}
