package org.rtf4j.bench;

import org.rtf4j.layer.ConvolutionalLayer;

/** Output checks run once per trial, outside the measured region; a mismatch fails the benchmark. */
final class Validation {
    private Validation() {
    }

    /** Forward once and compare the first (b=0, h=0) row with direct O(L²) sums of the layer's own kernel. */
    static void layerOutput(ConvolutionalLayer layer, float[] u, int batch, int length, float[] y) {
        layer.forward(u, batch, length, y);
        double[] kf = layer.kernel(0, length);
        double[] kb = layer.bidirectional() ? layer.kernel(1, length) : null;
        double worst = 0;
        double scale = 1;
        for (int t = 0; t < length; t++) {
            double acc = 0;
            for (int j = 0; j <= t; j++) {
                acc += kf[t - j] * u[j];
            }
            if (kb != null) {
                for (int j = t + 1; j < length; j++) {
                    acc += kb[j - t - 1] * u[j];
                }
            }
            worst = Math.max(worst, Math.abs(acc - y[t]));
            scale = Math.max(scale, Math.abs(acc));
        }
        double tol = 2e-5 * Math.sqrt(length);
        if (!(worst / scale <= tol)) {
            throw new IllegalStateException(layer + ": output error " + worst / scale + " > " + tol + " against direct sums");
        }
    }

    static void close(String what, float[] got, float[] ref, double tol) {
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        if (!(worst / scale <= tol)) {
            throw new IllegalStateException(what + ": error " + worst / scale + " > " + tol);
        }
    }
}
