package org.rtf4j.train.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.layer.Parameter;

/**
 * Channel mixing applied at every position: {@code y[b,o,t] = Σ_i W[o,i]·x[b,i,t] + bias[o]} on (B, C, ℓ)
 * signals in backend buffers, time contiguous. Initialised as PyTorch's {@code nn.Linear}: U(−1/√in, 1/√in)
 * for both. The forward is the bias fill then the GEMM with β = 1 (one sum over i per element, then the bias
 * added, as the float64 host model computed it); the backward the bias gradient, the weight gradient
 * {@code gW += Σ_b dy_b·x_bᵀ} and {@code dx_b = Wᵀ·dy_b}, all backend kernels.
 */
public final class Linear implements AutoCloseable {
    private final int in;
    private final int out;
    private final Weight weight;
    private final Weight bias;
    private final Backend be;
    private final Slot y;
    private final Slot dx;
    private DeviceBuffer x;
    private int batch;
    private int length;

    public Linear(String name, int in, int out, SplittableRandom rng, Backend be, Precision p) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": in and out must be ≥ 1, got in=" + in + ", out=" + out);
        }
        this.be = be;
        this.in = in;
        this.out = out;
        Parameter w = new Parameter(name + ".weight", new int[] {out, in}, false);
        Parameter b = new Parameter(name + ".bias", new int[] {out}, false);
        double s = 1.0 / Math.sqrt(in);
        double[] wv = w.value();
        for (int i = 0; i < wv.length; i++) {
            wv[i] = s * (2.0 * rng.nextDouble() - 1.0);
        }
        double[] bv = b.value();
        for (int i = 0; i < bv.length; i++) {
            bv[i] = s * (2.0 * rng.nextDouble() - 1.0);
        }
        this.weight = new Weight(w, be, p);
        try {
            this.bias = new Weight(b, be, p);
        } catch (RuntimeException e) {
            weight.close();
            throw e;
        }
        this.y = new Slot(be, p);
        this.dx = new Slot(be, p);
    }

    public List<Weight> weights() {
        return List.of(weight, bias);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** y (B, out, ℓ) from x (B, in, ℓ); keeps x (unchanged until the backward) for the backward pass. */
    public DeviceBuffer forward(DeviceBuffer x, int batch, int length) {
        this.x = x;
        this.batch = batch;
        this.length = length;
        DeviceBuffer yb = y.get((long) batch * out * length);
        be.biasAdd(new BiasShape(batch, out, length), bias.value(), yb, false);
        be.gemm(GemmShape.of(false, false, out, length, in).batched(batch, 0, in * length, out * length).scaled(1.0, 1.0),
            weight.value(), x, yb);
        return yb;
    }

    /** dx from dy; accumulates the weight and bias gradients. */
    public DeviceBuffer backward(DeviceBuffer dy) {
        be.biasGrad(new BiasShape(batch, out, length), dy, bias.grad());
        be.gemm(GemmShape.of(false, true, out, in, length).batched(batch, out * length, in * length, 0).scaled(1.0, 1.0),
            dy, x, weight.grad());
        DeviceBuffer d = dx.get((long) batch * in * length);
        be.gemm(GemmShape.of(true, false, in, length, out).batched(batch, 0, out * length, in * length), weight.value(), dy, d);
        return d;
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
        y.close();
        dx.close();
    }
}
