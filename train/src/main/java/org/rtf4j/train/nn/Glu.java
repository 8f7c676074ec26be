package org.rtf4j.train.nn;

import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.jvm.HostActivations;
import org.rtf4j.kernels.jvm.JvmExecutor;

/**
 * GLU over the channel axis: (B, 2H, ℓ) → (B, H, ℓ), {@code y = a·σ(g)} with a the first H channels. Forward
 * and backward run as the JVM backend's GLU kernels ({@link HostActivations}) on the given host executor,
 * bit for bit the float64 formulas {@code σ(v) = 1/(1 + exp(−v))} (v ≥ 0), {@code exp(v)/(1 + exp(v))}
 * (v &lt; 0), {@code dx_a = dy·σ(g)}, {@code dx_g = dy·a·σ(g)·(1 − σ(g))}, on any thread count.
 */
public final class Glu {
    private final JvmExecutor host;
    private double[] x;
    private int batch;
    private int half;
    private int length;

    public Glu(JvmExecutor host) {
        this.host = Parallel.require(host, "glu");
    }

    public double[] forward(double[] x, int batch, int channels, int length) {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("GLU needs an even channel count, got " + channels);
        }
        Shapes.check("x", x, batch, channels, length);
        this.x = x;
        this.batch = batch;
        this.half = channels / 2;
        this.length = length;
        double[] y = new double[batch * half * length];
        if (y.length > 0) {
            HostActivations.glu(host, new ActivationShape(batch, channels, length), x, y);
        }
        return y;
    }

    public double[] backward(double[] dy) {
        Shapes.check("dy", dy, batch, half, length);
        double[] dx = new double[x.length];
        if (dy.length > 0) {
            HostActivations.gluBackward(host, new ActivationShape(batch, 2 * half, length), x, dy, dx);
        }
        return dx;
    }
}
