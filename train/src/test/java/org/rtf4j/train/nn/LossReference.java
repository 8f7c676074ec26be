package org.rtf4j.train.nn;

import org.rtf4j.train.Batch;
import org.rtf4j.train.data.TaskSpec;

/**
 * The task losses with their gradients in float64 on host arrays: the reference the backend's loss kernels
 * are checked against through the whole model ({@code SequenceModelGradientTest}). Cross-entropy is averaged over the counted targets (sequences, or
 * positions with a target ≥ 0); mean squared error over the valid positions and output channels.
 *
 * @param loss     the mean loss
 * @param grad     ∂loss/∂outputs, shaped as the outputs
 * @param correct  correctly classified targets (classification), else 0
 * @param count    counted targets (sequences, positions, or positions × outputs for regression)
 * @param sumSquares sum of squared errors (regression), else 0
 */
public record LossReference(double loss, double[] grad, long correct, long count, double sumSquares) {

    /** The loss of model outputs on a batch: logits (B, K) or (B, K, ℓ), or values (B, K, ℓ). */
    public static LossReference of(TaskSpec spec, double[] out, Batch batch) {
        int k = spec.outputs();
        int n = batch.size();
        int len = batch.length();
        switch (spec.target()) {
            case SEQUENCE_CLASS: {
                check(out, n, k, 1);
                double[] g = new double[out.length];
                double total = 0;
                long correct = 0;
                for (int b = 0; b < n; b++) {
                    int y = batch.labels()[b];
                    double[] p = new double[k];
                    total += softmax(out, b * k, 1, k, p) - out[b * k + y];
                    correct += argmax(out, b * k, 1, k) == y ? 1 : 0;
                    for (int c = 0; c < k; c++) {
                        g[b * k + c] = (p[c] - (c == y ? 1.0 : 0.0)) / n;
                    }
                }
                return new LossReference(total / n, g, correct, n, 0.0);
            }
            case TOKEN_CLASS: {
                check(out, n, k, len);
                long count = 0;
                for (int i = 0; i < n * len; i++) {
                    count += batch.targetTokens()[i] >= 0 ? 1 : 0;
                }
                double[] g = new double[out.length];
                if (count == 0) {
                    return new LossReference(0.0, g, 0, 0, 0.0);
                }
                double total = 0;
                long correct = 0;
                double[] p = new double[k];
                for (int b = 0; b < n; b++) {
                    for (int t = 0; t < len; t++) {
                        int y = batch.targetTokens()[b * len + t];
                        if (y < 0) {
                            continue;
                        }
                        if (y >= k) {
                            throw new IllegalArgumentException("target token " + y + " at (" + b + ", " + t
                                + ") outside [0, " + k + ")");
                        }
                        int base = b * k * len + t;
                        total += softmax(out, base, len, k, p) - out[base + y * len];
                        correct += argmax(out, base, len, k) == y ? 1 : 0;
                        for (int c = 0; c < k; c++) {
                            g[base + c * len] = (p[c] - (c == y ? 1.0 : 0.0)) / count;
                        }
                    }
                }
                return new LossReference(total / count, g, correct, count, 0.0);
            }
            default: {
                check(out, n, k, len);
                long count = 0;
                for (int b = 0; b < n; b++) {
                    count += (long) batch.lengths()[b] * k;
                }
                double[] g = new double[out.length];
                double ss = 0;
                for (int b = 0; b < n; b++) {
                    for (int c = 0; c < k; c++) {
                        int o = (b * k + c) * len;
                        for (int t = 0; t < batch.lengths()[b]; t++) {
                            double d = out[o + t] - batch.targetValues()[o + t];
                            ss += d * d;
                            g[o + t] = 2.0 * d / count;
                        }
                    }
                }
                return new LossReference(ss / count, g, 0, count, ss);
            }
        }
    }

    /** Writes softmax probabilities of k strided logits into p; returns log Σ exp z (stable). */
    private static double softmax(double[] z, int base, int stride, int k, double[] p) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            m = Math.max(m, z[base + c * stride]);
        }
        double s = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(z[base + c * stride] - m);
            s += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= s;
        }
        return m + Math.log(s);
    }

    private static int argmax(double[] z, int base, int stride, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (z[base + c * stride] > z[base + best * stride]) {
                best = c;
            }
        }
        return best;
    }

    private static void check(double[] out, int n, int k, int len) {
        if (out.length != (long) n * k * len) {
            throw new IllegalArgumentException("outputs: expected " + (long) n * k * len + " values, got " + out.length);
        }
    }
}
