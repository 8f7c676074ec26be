package org.rtf4j.train.nn;

/**
 * GELU in its tanh form, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))} (PyTorch's
 * {@code approximate='tanh'}; within 1e-3 of the erf form), with its exact derivative.
 */
public final class Gelu {
    private static final double C = Math.sqrt(2.0 / Math.PI);
    private double[] x;

    public double[] forward(double[] x) {
        this.x = x;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = 0.5 * v * (1.0 + Math.tanh(C * (v + 0.044715 * v * v * v)));
        }
        return y;
    }

    public double[] backward(double[] dy) {
        if (dy.length != x.length) {
            throw new IllegalArgumentException("dy: expected " + x.length + " values, got " + dy.length);
        }
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            double v = x[i];
            double th = Math.tanh(C * (v + 0.044715 * v * v * v));
            double d = 0.5 * (1.0 + th) + 0.5 * v * (1.0 - th * th) * C * (1.0 + 3.0 * 0.044715 * v * v);
            dx[i] = dy[i] * d;
        }
        return dx;
    }
}
