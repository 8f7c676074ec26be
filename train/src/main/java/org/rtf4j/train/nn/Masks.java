package org.rtf4j.train.nn;

/** Valid-length masks of padded (B, C, ℓ) batches. */
public final class Masks {
    private Masks() {
    }

    /** Zeroes, in place, every position t ≥ lengths[b]; returns x. */
    public static double[] zeroPadding(double[] x, int batch, int channels, int length, int[] lengths) {
        if (lengths == null) {
            return x;
        }
        for (int b = 0; b < batch; b++) {
            int n = lengths[b];
            if (n < length) {
                for (int c = 0; c < channels; c++) {
                    int o = (b * channels + c) * length;
                    java.util.Arrays.fill(x, o + n, o + length, 0.0);
                }
            }
        }
        return x;
    }

    /** Checks lengths against the batch geometry. */
    public static void check(int[] lengths, int batch, int length) {
        if (lengths == null) {
            return;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths: expected " + batch + " entries, got " + lengths.length);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > length) {
                throw new IllegalArgumentException("lengths must be in [1, " + length + "], got " + lengths[b] + " at index " + b);
            }
        }
    }
}
