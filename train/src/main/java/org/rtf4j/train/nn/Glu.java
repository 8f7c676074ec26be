package org.rtf4j.train.nn;

/** GLU over the channel axis: (B, 2H, ℓ) → (B, H, ℓ), {@code y = a·σ(g)} with a the first H channels. */
public final class Glu {
    private double[] x;
    private int batch;
    private int half;
    private int length;

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
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * length;
                int ig = ia + half * length;
                int iy = (b * half + h) * length;
                for (int t = 0; t < length; t++) {
                    y[iy + t] = x[ia + t] * sigmoid(x[ig + t]);
                }
            }
        }
        return y;
    }

    public double[] backward(double[] dy) {
        Shapes.check("dy", dy, batch, half, length);
        double[] dx = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * length;
                int ig = ia + half * length;
                int iy = (b * half + h) * length;
                for (int t = 0; t < length; t++) {
                    double s = sigmoid(x[ig + t]);
                    dx[ia + t] = dy[iy + t] * s;
                    dx[ig + t] = dy[iy + t] * x[ia + t] * s * (1.0 - s);
                }
            }
        }
        return dx;
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
    }
}
