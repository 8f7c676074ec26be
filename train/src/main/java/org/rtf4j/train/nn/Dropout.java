package org.rtf4j.train.nn;

import java.util.SplittableRandom;

/**
 * Inverted dropout with keep-scale 1/(1−p); with {@code tied} one mask value per (batch, channel) is shared
 * over the length axis (the residual dropout of the paper's block). The mask comes from the seed given to
 * {@link #forward}, so a training step is reproducible from its step number alone.
 */
public final class Dropout {
    private final double p;
    private final boolean tied;
    private double[] mask;

    public Dropout(double p, boolean tied) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.tied = tied;
    }

    public double p() {
        return p;
    }

    /** Applies the mask in training mode; the identity when p = 0 or not training. */
    public double[] forward(double[] x, int batch, int channels, int length, boolean training, long seed) {
        if (!training || p == 0.0) {
            mask = null;
            return x;
        }
        Shapes.check("x", x, batch, channels, length);
        SplittableRandom rng = new SplittableRandom(seed);
        double keep = 1.0 / (1.0 - p);
        mask = new double[x.length];
        double[] y = new double[x.length];
        for (int r = 0; r < batch * channels; r++) {
            double m = rng.nextDouble() >= p ? keep : 0.0;
            for (int t = 0; t < length; t++) {
                if (!tied && t > 0) {
                    m = rng.nextDouble() >= p ? keep : 0.0;
                }
                mask[r * length + t] = m;
                y[r * length + t] = m * x[r * length + t];
            }
        }
        return y;
    }

    public double[] backward(double[] dy) {
        if (mask == null) {
            return dy;
        }
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dx[i] = mask[i] * dy[i];
        }
        return dx;
    }
}
