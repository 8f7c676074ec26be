package org.rtf4j.train.nn;

/** Pooling over the valid positions of each sequence: (B, H, ℓ) → (B, H), or none. */
public enum Pooling {
    /** Mean over t < length[b]. */
    MEAN,
    /** The value at t = length[b] − 1. */
    LAST,
    /** No pooling: per-position outputs. */
    NONE;

    public double[] forward(double[] x, int batch, int channels, int length, int[] lengths) {
        if (this == NONE) {
            return x;
        }
        double[] y = new double[batch * channels];
        for (int b = 0; b < batch; b++) {
            int n = lengths == null ? length : lengths[b];
            for (int c = 0; c < channels; c++) {
                int o = (b * channels + c) * length;
                if (this == LAST) {
                    y[b * channels + c] = x[o + n - 1];
                } else {
                    double s = 0;
                    for (int t = 0; t < n; t++) {
                        s += x[o + t];
                    }
                    y[b * channels + c] = s / n;
                }
            }
        }
        return y;
    }

    public double[] backward(double[] dy, int batch, int channels, int length, int[] lengths) {
        if (this == NONE) {
            return dy;
        }
        double[] dx = new double[batch * channels * length];
        for (int b = 0; b < batch; b++) {
            int n = lengths == null ? length : lengths[b];
            for (int c = 0; c < channels; c++) {
                int o = (b * channels + c) * length;
                double g = dy[b * channels + c];
                if (this == LAST) {
                    dx[o + n - 1] = g;
                } else {
                    java.util.Arrays.fill(dx, o, o + n, g / n);
                }
            }
        }
        return dx;
    }
}
