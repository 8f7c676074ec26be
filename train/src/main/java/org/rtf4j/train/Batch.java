package org.rtf4j.train;

import java.util.List;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.TaskSpec;

/**
 * Examples padded to a common length: inputs (B, C, ℓ) or token ids (B, ℓ) with id 0 as padding, the valid
 * lengths, and the targets of the task's kind (token targets −1 and regression targets 0 at padding).
 */
public record Batch(int size, int length, int[] lengths, int[] tokens, double[] features, int channels,
                    int[] labels, int[] targetTokens, double[] targetValues) {

    /** Pads and stacks examples of a task. */
    public static Batch of(TaskSpec spec, List<Example> examples) {
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        int len = 0;
        int[] lengths = new int[n];
        for (int b = 0; b < n; b++) {
            Example e = examples.get(b);
            if (e.length() < 1 || e.length() > spec.maxLength()) {
                throw new IllegalArgumentException("example " + b + " of task " + spec.name() + ": length " + e.length()
                    + " outside [1, " + spec.maxLength() + "]");
            }
            lengths[b] = e.length();
            len = Math.max(len, e.length());
        }
        int[] tokens = null;
        double[] features = null;
        int channels = spec.inputChannels();
        if (spec.tokens()) {
            tokens = new int[n * len];
            for (int b = 0; b < n; b++) {
                int[] t = require(examples.get(b).tokens(), "tokens", b, lengths[b]);
                System.arraycopy(t, 0, tokens, b * len, lengths[b]);
            }
        } else {
            features = new double[n * channels * len];
            for (int b = 0; b < n; b++) {
                float[] f = examples.get(b).features();
                if (f == null || f.length != channels * lengths[b]) {
                    throw new IllegalArgumentException("example " + b + ": expected " + channels * lengths[b]
                        + " feature values, got " + (f == null ? "null" : f.length));
                }
                for (int c = 0; c < channels; c++) {
                    for (int t = 0; t < lengths[b]; t++) {
                        features[(b * channels + c) * len + t] = f[c * lengths[b] + t];
                    }
                }
            }
        }
        int[] labels = null;
        int[] targetTokens = null;
        double[] targetValues = null;
        switch (spec.target()) {
            case SEQUENCE_CLASS:
                labels = new int[n];
                for (int b = 0; b < n; b++) {
                    labels[b] = examples.get(b).label();
                    if (labels[b] < 0 || labels[b] >= spec.outputs()) {
                        throw new IllegalArgumentException("example " + b + ": label " + labels[b] + " outside [0, "
                            + spec.outputs() + ")");
                    }
                }
                break;
            case TOKEN_CLASS:
                targetTokens = new int[n * len];
                java.util.Arrays.fill(targetTokens, -1);
                for (int b = 0; b < n; b++) {
                    int[] t = require(examples.get(b).targetTokens(), "targetTokens", b, lengths[b]);
                    System.arraycopy(t, 0, targetTokens, b * len, lengths[b]);
                }
                break;
            default:
                int k = spec.outputs();
                targetValues = new double[n * k * len];
                for (int b = 0; b < n; b++) {
                    float[] v = examples.get(b).targetValues();
                    if (v == null || v.length != k * lengths[b]) {
                        throw new IllegalArgumentException("example " + b + ": expected " + k * lengths[b]
                            + " target values, got " + (v == null ? "null" : v.length));
                    }
                    for (int c = 0; c < k; c++) {
                        for (int t = 0; t < lengths[b]; t++) {
                            targetValues[(b * k + c) * len + t] = v[c * lengths[b] + t];
                        }
                    }
                }
        }
        return new Batch(n, len, lengths, tokens, features, channels, labels, targetTokens, targetValues);
    }

    private static int[] require(int[] a, String what, int b, int length) {
        if (a == null || a.length != length) {
            throw new IllegalArgumentException("example " + b + ": expected " + length + " " + what + ", got "
                + (a == null ? "null" : a.length));
        }
        return a;
    }

    /** True when every sequence has the full length (no masking needed). */
    public boolean full() {
        for (int l : lengths) {
            if (l != length) {
                return false;
            }
        }
        return true;
    }
}
