package org.rtf4j.train.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.jvm.HostGemm;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.Parameter;

/**
 * Channel mixing applied at every position: {@code y[b,o,t] = Σ_i W[o,i]·x[b,i,t] + bias[o]} on (B, C, ℓ)
 * signals, time contiguous. Initialised as PyTorch's {@code nn.Linear}: U(−1/√in, 1/√in) for both. The
 * three products (forward, weight gradient, input gradient) run as the JVM GEMM kernel ({@link HostGemm})
 * on the given host executor, whose results do not depend on its thread count; the bias loops run there too.
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
        });
        // y_b = W·x_b + y_b (the bias): one sum over i per element, then the bias added
        HostGemm.gemm(host, GemmShape.of(false, false, out, length, in).batched(batch, 0, in * length, out * length)
            .scaled(1.0, 1.0), w, x, y);
        return y;
    }

    /** dx from dy; accumulates the weight and bias gradients. */
    public double[] backward(double[] dy) {
        Shapes.check("dy", dy, batch, out, length);
        double[] w = weight.value();
        double[] gw = weight.grad();
        double[] gb = bias.grad();
        double[] xs = x;
        // bias: output rows in blocks of 8 over the tasks, summed over the batch in order (deterministic)
        int blocks = (out + 7) / 8;
        Parallel.forEach(host, blocks, blk -> {
            int r0 = blk * 8;
            int r1 = Math.min(out, r0 + 8);
            for (int b = 0; b < batch; b++) {
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
        // gW += Σ_b dy_b·x_bᵀ: per element one sum over (b, t) in order, then added to the gradient so far
        HostGemm.gemm(host, GemmShape.of(false, true, out, in, length).batched(batch, out * length, in * length, 0)
            .scaled(1.0, 1.0), dy, xs, gw);
        // dx_b = Wᵀ·dy_b
        double[] dx = new double[batch * in * length];
        HostGemm.gemm(host, GemmShape.of(true, false, in, length, out).batched(batch, 0, out * length, in * length), w,
            dy, dx);
        return dx;
    }
}
