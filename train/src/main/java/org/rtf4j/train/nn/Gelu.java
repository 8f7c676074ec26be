package org.rtf4j.train.nn;

import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.jvm.HostActivations;
import org.rtf4j.kernels.jvm.JvmExecutor;

/**
 * GELU in its tanh form, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))} (PyTorch's
 * {@code approximate='tanh'}; within 1e-3 of the erf form), with its exact derivative. Both run as the JVM
 * backend's GELU kernels ({@link HostActivations}) on the given host executor: one exponential per element,
 * within 4·2⁻⁵²·|x| of the textbook formula (the derivative within 4·2⁻⁵²·|dy|·(1 + |x|·(1 + 0.134145·x²))),
 * the same bits on any thread count.
 */
public final class Gelu {
    private final JvmExecutor host;
    private double[] x;

    public Gelu(JvmExecutor host) {
        this.host = Parallel.require(host, "gelu");
    }

    public double[] forward(double[] x) {
        this.x = x;
        double[] y = new double[x.length];
        if (x.length > 0) {
            HostActivations.gelu(host, ActivationShape.elements(x.length), x, y);
        }
        return y;
    }

    public double[] backward(double[] dy) {
        if (dy.length != x.length) {
            throw new IllegalArgumentException("dy: expected " + x.length + " values, got " + dy.length);
        }
        double[] dx = new double[dy.length];
        if (dy.length > 0) {
            HostActivations.geluBackward(host, ActivationShape.elements(dy.length), x, dy, dx);
        }
        return dx;
    }
}
